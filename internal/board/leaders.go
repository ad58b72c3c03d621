package board

import (
	"strconv"

	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
)

// The board's two parts about the leaders in charge (分管领导): a leader's
// own targets first (我分管的), and on a township's or a district's board the
// leaders ranked by how far their targets are behind the schedule (分管领导
// 进度), each count leading to the list of exactly those targets.

// ledShown is how many of a leader's own targets the board lists first,
// reds and the most behind first; the rest are a click away.
const ledShown = 10

// leadersShown is how many of a district's leaders its board lists: a
// city's hundred townships have several hundred.
const leadersShown = 10

// LeaderLine is one leader of the ranking as the board shows it, formatted
// once when the shared part is made.
type LeaderLine struct {
	Rank     int
	PersonID int64
	Name     string
	Title    string
	Township string // on a district's board
	Targets  int
	Red      int
	Yellow   int
	Gap      string // the mean gap in percentage points, "−5.2个百分点", or "—"
	Behind   bool
	// URL, RedURL and YellowURL are the targets list of the leader's
	// top-level targets, all of them and those red or yellow.
	URL, RedURL, YellowURL string
}

// leaderLines formats a ranking of unit's subtree for year; t translates.
func leaderLines(scores []targets.LeaderScore, unit int64, year int, t func(string, ...any) string) []LeaderLine {
	out := make([]LeaderLine, len(scores))
	for i, s := range scores {
		out[i] = LeaderLine{
			Rank: i + 1, PersonID: s.PersonID, Name: s.Name, Title: s.Title, Township: s.Township,
			Targets: s.Targets, Red: s.Counts.Red, Yellow: s.Counts.Yellow,
			Gap: gapText(s.Gap, t), Behind: s.Gap != nil && *s.Gap < -1e-9,
			URL:       targets.LeaderURL(unit, s.PersonID, year, ""),
			RedURL:    targets.LeaderURL(unit, s.PersonID, year, "red"),
			YellowURL: targets.LeaderURL(unit, s.PersonID, year, "yellow"),
		}
		if out[i].Name == "" {
			out[i].Name = "#" + strconv.FormatInt(s.PersonID, 10)
		}
	}
	return out
}

// LeaderTable is a ranking of leaders as the board's table shows it: a
// district's names each leader's township.
type LeaderTable struct {
	web.Base
	Lines    []LeaderLine
	District bool
}

// LeaderTable pairs lines with the page's words for the ranking's table.
func (p Page) LeaderTable(lines []LeaderLine, district bool) LeaderTable {
	return LeaderTable{Base: p.Base, Lines: lines, District: district}
}

// ledURL is the targets list of everything the leader is in charge of in
// unit's subtree in year, the decompositions' shares included.
func ledURL(unit, leader int64, year int) string {
	return "/targets?unit=" + strconv.FormatInt(unit, 10) + "&sub=1&leader=" + strconv.FormatInt(leader, 10) + "&year=" + strconv.Itoa(year)
}

// leaderMessages are the texts of the leaders' parts of the board.
var leaderMessages = i18n.Catalog{
	"board.led":          {ZH: "我分管的", EN: "In my charge"},
	"board.led_hint":     {ZH: "您任分管领导的本级目标，红灯和最落后的在前", EN: "The own targets you are the leader in charge of, reds and the most behind first"},
	"board.led_count":    {ZH: "全部%d项", EN: "All %d"},
	"board.led_all":      {ZH: "含分解", EN: "With their shares"},
	"board.leaders":      {ZH: "分管领导进度", EN: "Leaders in charge"},
	"board.leaders_hint": {ZH: "按所分管本级目标较序时进度的平均差距排序，最落后的在前；数字链接到对应目标清单", EN: "By the mean gap of the own targets in their charge to the schedule, most behind first; each count opens those targets"},
	"board.leaders_none": {ZH: "尚未为本级目标设定分管领导。", EN: "No own target has a leader in charge yet."},
	"board.leaders_more": {ZH: "共%d位分管领导，列出最落后的%d位", EN: "%d leaders in charge; the %d most behind are listed"},
	"board.col.leader":   {ZH: "分管领导", EN: "Leader in charge"},
	"board.col.led":      {ZH: "目标数", EN: "Targets"},
	"board.col.avg_gap":  {ZH: "平均较序时", EN: "Mean vs schedule"},
}
