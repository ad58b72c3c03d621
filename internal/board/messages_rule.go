package board

import (
	"strings"

	"guatu/internal/platform/i18n"
)

// ruleMessages say how a unit's score and light are found, under every list
// that ranks units, and which targets give a unit its light.
var ruleMessages = i18n.Catalog{
	"board.score_rule": {
		ZH: "得分：各项目标进度与序时进度之比的加权平均×100，100为恰好达到序时进度，单项最高按120计；单位亮灯取其各项目标中最差的一盏，得分高于100的单位也会因一项目标亮红灯，灯旁列出是哪几项。",
		EN: "Score: the weighted mean of each target's progress against its schedule × 100 (100 is exactly on schedule; one target counts at most 120). A unit's light is the worst of its targets' lights, so a unit above 100 can be red for one target; the targets that give the light are named beside it.",
	},
	"board.worst": {ZH: "因：%s", EN: "due to: %s"},
}

// Worst lists the targets that give a unit its light, as the page writes a
// list: 入库税收、固定资产投资.
func (p Page) Worst(names []string) string { return strings.Join(names, "、") }
