package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Kind is a group robot's platform.
type Kind string

const (
	DingTalk Kind = "dingtalk" // 钉钉群自定义机器人
	WeCom    Kind = "wecom"    // 企业微信群机器人
)

// Kinds lists the robot kinds in display order.
var Kinds = []Kind{DingTalk, WeCom}

// Body limits of the platforms, in bytes of UTF-8.
const (
	WeComTextMax     = 2048
	WeComMarkdownMax = 4096
	DingTalkMax      = 20000
)

// Throttling answers: DingTalk throttles a robot for ten minutes past 20
// messages a minute (130101); WeCom answers 45009 (the API frequency limit).
const (
	DingTalkThrottled = 130101
	WeComThrottled    = 45009
)

// throttlePause is how long a throttled robot is left alone.
func throttlePause(k Kind) time.Duration {
	if k == DingTalk {
		return 10 * time.Minute
	}
	return time.Minute
}

// Sign is DingTalk's signature of a robot call at timestamp (milliseconds):
// HMAC-SHA256 of timestamp + "\n" + secret keyed with secret, Base64, then
// URL-encoded, sent as the sign query parameter.
func Sign(timestamp int64, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(timestamp, 10) + "\n" + secret))
	return url.QueryEscape(base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}

// Truncate cuts s to at most max bytes on a character boundary, ending
// with "…" when it cut.
func Truncate(s string, max int) string {
	if len(s) <= max {
		return s
	}
	const ell = "…"
	cut := max - len(ell)
	if cut < 0 {
		cut = 0
	}
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ell
}

// Payload is one prepared post to a robot: the JSON body and the outbox
// rows it carries.
type Payload struct {
	IDs  []int64
	Body []byte
}

// Due is an outbox message waiting for its robot.
type Due struct {
	ID int64
	Message
}

// Message is what one notification says, as a robot shows it.
type Message struct {
	Title   string
	Body    string
	Link    string   // absolute URL, or "" (a path is left out)
	Mobiles []string // people to @-mention by their mobile number
	// WeComIDs are the same people's WeCom user ids, where known: WeCom's
	// markdown @-mentions only by them (<@userid>), its text by either.
	WeComIDs []string
}

// text is m as plain text, with the keyword when the robot requires one.
func (m Message) text() string {
	s := m.Title
	if m.Body != "" {
		s += "\n" + m.Body
	}
	if strings.HasPrefix(m.Link, "http") {
		s += "\n" + m.Link
	}
	return s
}

// Plan turns the messages due for one robot into at most budget posts
// (the robot's share of the per-minute limit left): one message goes as
// text with its @-mentions in the platform's form; several are merged, in
// order, into markdown posts each within the platform's limit. What does
// not fit the budget waits for a later run.
func Plan(kind Kind, keyword, mergedTitle string, due []Due, budget int) []Payload {
	if budget <= 0 || len(due) == 0 {
		return nil
	}
	if len(due) == 1 {
		return []Payload{{IDs: []int64{due[0].ID}, Body: textBody(kind, keyword, due[0].Message)}}
	}
	limit := DingTalkMax
	if kind == WeCom {
		limit = WeComMarkdownMax
	}
	var out []Payload
	for i := 0; i < len(due) && len(out) < budget; {
		var ids []int64
		var items []Message
		for i < len(due) {
			next := append(append([]Message(nil), items...), due[i].Message)
			if len(items) > 0 && len(markdownText(kind, keyword, mergedTitle, next)) > limit {
				break
			}
			items, ids = next, append(ids, due[i].ID)
			i++
		}
		if len(items) == 1 {
			out = append(out, Payload{IDs: ids, Body: textBody(kind, keyword, items[0])})
			continue
		}
		out = append(out, Payload{IDs: ids, Body: markdownBody(kind, keyword, mergedTitle, items)})
	}
	return out
}

// withKeyword puts a DingTalk robot's keyword in s when it is not there,
// since DingTalk refuses a message without it.
func withKeyword(keyword, s string) string {
	if keyword == "" || strings.Contains(s, keyword) {
		return s
	}
	return keyword + " " + s
}

func textBody(kind Kind, keyword string, m Message) []byte {
	var v any
	switch kind {
	case DingTalk:
		content := withKeyword(keyword, m.text())
		var at strings.Builder
		for _, p := range m.Mobiles {
			at.WriteString(" @" + p) // DingTalk shows the mention only when the number is in the text too
		}
		content = Truncate(content, DingTalkMax-at.Len()) + at.String()
		v = map[string]any{"msgtype": "text", "text": map[string]any{"content": content},
			"at": map[string]any{"atMobiles": nonNil(m.Mobiles), "isAtAll": false}}
	default:
		v = map[string]any{"msgtype": "text", "text": map[string]any{"content": Truncate(m.text(), WeComTextMax),
			"mentioned_list": nonNil(m.WeComIDs), "mentioned_mobile_list": nonNil(m.Mobiles)}}
	}
	b, _ := json.Marshal(v)
	return b
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// markdownText is the merged text of items: a heading, then one entry per
// message with its mentions (DingTalk's "@number"; WeCom's "<@userid>", the
// only mention its markdown knows, for the people whose user id is kept).
func markdownText(kind Kind, keyword, title string, items []Message) string {
	var b strings.Builder
	b.WriteString("#### " + withKeyword(keyword, title) + "\n")
	for _, m := range items {
		b.WriteString("\n- **" + m.Title + "**")
		if m.Body != "" {
			b.WriteString(" " + strings.ReplaceAll(m.Body, "\n", " "))
		}
		if strings.HasPrefix(m.Link, "http") {
			b.WriteString(" [" + m.Link + "](" + m.Link + ")")
		}
		switch kind {
		case DingTalk:
			for _, p := range m.Mobiles {
				b.WriteString(" @" + p)
			}
		case WeCom:
			for _, id := range m.WeComIDs {
				b.WriteString(" <@" + id + ">")
			}
		}
	}
	return b.String()
}

func markdownBody(kind Kind, keyword, title string, items []Message) []byte {
	var v any
	switch kind {
	case DingTalk:
		var mobiles []string
		for _, m := range items {
			mobiles = append(mobiles, m.Mobiles...)
		}
		v = map[string]any{"msgtype": "markdown",
			"markdown": map[string]any{"title": withKeyword(keyword, title), "text": Truncate(markdownText(kind, keyword, title, items), DingTalkMax)},
			"at":       map[string]any{"atMobiles": nonNil(mobiles), "isAtAll": false}}
	default:
		v = map[string]any{"msgtype": "markdown", "markdown": map[string]any{"content": Truncate(markdownText(kind, keyword, title, items), WeComMarkdownMax)}}
	}
	b, _ := json.Marshal(v)
	return b
}

// Channel delivers one prepared post to one robot. The group robots are
// one implementation; an SMS gateway would be another, with its own kind.
type Channel interface {
	Deliver(ctx context.Context, hook Webhook, body []byte) error
}

// Refusal is a platform's answer that it will not take the message: its
// error code and text. Throttled refusals are retried after a pause;
// others are final.
type Refusal struct {
	Code      int
	Msg       string
	Throttled bool
}

func (r *Refusal) Error() string { return fmt.Sprintf("refused: errcode %d: %s", r.Code, r.Msg) }

// Robots posts to DingTalk and WeCom group robots over HTTP.
type Robots struct {
	Client *http.Client
	Now    func() time.Time
}

// Deliver posts body to hook, signing it for a DingTalk robot with a
// secret. A transport failure or a 5xx answer is a plain error (retried);
// a non-zero errcode is a *Refusal. No error text carries the robot's URL.
func (rb Robots) Deliver(ctx context.Context, hook Webhook, body []byte) error {
	target := hook.URL
	if hook.Kind == DingTalk && hook.Secret != "" {
		now := time.Now()
		if rb.Now != nil {
			now = rb.Now()
		}
		ts := now.UnixMilli()
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "timestamp=" + strconv.FormatInt(ts, 10) + "&sign=" + Sign(ts, hook.Secret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return errors.New("bad robot address")
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	client := rb.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = MaskURL(hook.URL) // the key must not reach a log
			return ue
		}
		return errors.New("post failed")
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK {
		return &Refusal{Code: resp.StatusCode, Msg: http.StatusText(resp.StatusCode)}
	}
	var ans struct {
		ErrCode int    `json:"errcode"`
		ErrMsg  string `json:"errmsg"`
	}
	if err := json.Unmarshal(raw, &ans); err != nil {
		return fmt.Errorf("unreadable answer (HTTP %d)", resp.StatusCode)
	}
	if ans.ErrCode != 0 {
		throttled := (hook.Kind == DingTalk && ans.ErrCode == DingTalkThrottled) || (hook.Kind == WeCom && ans.ErrCode == WeComThrottled)
		return &Refusal{Code: ans.ErrCode, Msg: Truncate(ans.ErrMsg, 200), Throttled: throttled}
	}
	return nil
}

// MaskURL shows a robot's address without its credentials: every query
// value (DingTalk's access_token, WeCom's key) keeps its last four
// characters only.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "…"
	}
	q := u.Query()
	var parts []string
	for k, vs := range q {
		for _, v := range vs {
			parts = append(parts, k+"="+Mask(v))
		}
	}
	u.RawQuery = ""
	u.User = nil
	s := u.String()
	if len(parts) > 0 {
		sort.Strings(parts)
		s += "?" + strings.Join(parts, "&")
	}
	return s
}

// Mask shows a credential by its last four characters.
func Mask(s string) string {
	if s == "" {
		return ""
	}
	r := []rune(s)
	if len(r) <= 4 {
		return "****"
	}
	return "****" + string(r[len(r)-4:])
}
