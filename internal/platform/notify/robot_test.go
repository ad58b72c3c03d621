package notify_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"guatu/internal/platform/notify"
)

// TestSign checks DingTalk's signature against its documented algorithm
// (the Python of the robot's security settings page: HMAC-SHA256 of
// timestamp + "\n" + secret, Base64, quote_plus), run on these inputs.
func TestSign(t *testing.T) {
	for _, c := range []struct {
		name   string
		ts     int64
		secret string
		want   string
	}{
		{"the documentation's secret", 1577836800000, "this is secret", "fFV9t5lBS7KH4%2B5B0JjR99ab%2BAJkXFauQXycgTkS%2Ftc%3D"},
		{"a SEC secret", 1577836800000, "SEC1234567890abcdef", "TIzzPwWjNi0Lo1O9sy9kXr%2Brz8LkN%2FabuEGY%2F4ahrRc%3D"},
		{"another library's vector", 1700000000000, "secret", "OuzzJR5%2BxZ4%2FEYwqtNt6sMYZQMTa%2FHEGvc9miJe7XzY%3D"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := notify.Sign(c.ts, c.secret); got != c.want {
				t.Errorf("Sign(%d, %q) = %s, want %s", c.ts, c.secret, got, c.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		max  int
		want string
	}{
		{"short", "催办", 100, "催办"},
		{"exact", "abc", 3, "abc"},
		{"ascii", "abcdefgh", 6, "abc…"},
		{"mid-character", "催办催办", 8, "催…"}, // 12 bytes; 8 leaves 5 for text: one whole character
		{"tiny", "催办", 2, "…"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := notify.Truncate(c.in, c.max)
			if got != c.want {
				t.Errorf("Truncate(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
			}
			if !utf8.ValidString(got) {
				t.Errorf("Truncate(%q, %d) is not UTF-8", c.in, c.max)
			}
		})
	}
}

// decode reads a planned post.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("post is not JSON: %v: %s", err, b)
	}
	return v
}

// TestBodiesStayUnderLimits: one long message goes as text within each
// platform's limit, mentions in each platform's form.
func TestBodiesStayUnderLimits(t *testing.T) {
	long := strings.Repeat("进展迟缓，请抓紧。", 1000) // 27,000 bytes
	m := notify.Message{Title: "催办：河道清淤", Body: long, Mobiles: []string{"13800000001"}, WeComIDs: []string{"LiangDeFu"}}
	for _, c := range []struct {
		kind  notify.Kind
		max   int
		check func(t *testing.T, v map[string]any)
	}{
		{notify.DingTalk, notify.DingTalkMax, func(t *testing.T, v map[string]any) {
			content := v["text"].(map[string]any)["content"].(string)
			if len(content) > notify.DingTalkMax {
				t.Errorf("DingTalk text is %d bytes, over %d", len(content), notify.DingTalkMax)
			}
			if !strings.HasSuffix(content, "@13800000001") || !strings.HasPrefix(content, "督办 ") {
				t.Errorf("DingTalk text lacks the keyword or the mention at its end: …%s", content[len(content)-40:])
			}
			at := v["at"].(map[string]any)["atMobiles"].([]any)
			if len(at) != 1 || at[0] != "13800000001" {
				t.Errorf("atMobiles = %v", at)
			}
		}},
		{notify.WeCom, notify.WeComTextMax, func(t *testing.T, v map[string]any) {
			text := v["text"].(map[string]any)
			if n := len(text["content"].(string)); n > notify.WeComTextMax {
				t.Errorf("WeCom text is %d bytes, over %d", n, notify.WeComTextMax)
			}
			if ml := text["mentioned_mobile_list"].([]any); len(ml) != 1 || ml[0] != "13800000001" {
				t.Errorf("mentioned_mobile_list = %v", ml)
			}
			if ml := text["mentioned_list"].([]any); len(ml) != 1 || ml[0] != "LiangDeFu" {
				t.Errorf("mentioned_list = %v", ml)
			}
		}},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			plan := notify.Plan(c.kind, "督办", "合并", []notify.Due{{ID: 1, Message: m}}, 5)
			if len(plan) != 1 {
				t.Fatalf("%d posts, want 1", len(plan))
			}
			v := decode(t, plan[0].Body)
			if v["msgtype"] != "text" {
				t.Errorf("msgtype = %v, want text", v["msgtype"])
			}
			c.check(t, v)
		})
	}
}

// TestMergedMentions: a merged post @-mentions each message's people in the
// platform's own form: DingTalk by number in the text and atMobiles, WeCom's
// markdown by <@userid> (it has no other), a person without one unnamed.
func TestMergedMentions(t *testing.T) {
	due := []notify.Due{
		{ID: 1, Message: notify.Message{Title: "催办：河道清淤", Mobiles: []string{"13800000001"}, WeComIDs: []string{"LiangDeFu"}}},
		{ID: 2, Message: notify.Message{Title: "催办：路灯维修", Mobiles: []string{"13800000002"}}},
	}
	ding := decode(t, notify.Plan(notify.DingTalk, "", "督办提醒", due, 5)[0].Body)
	text := ding["markdown"].(map[string]any)["text"].(string)
	if !strings.Contains(text, "@13800000001") || !strings.Contains(text, "@13800000002") {
		t.Errorf("DingTalk markdown lacks a number: %s", text)
	}
	if at := ding["at"].(map[string]any)["atMobiles"].([]any); len(at) != 2 {
		t.Errorf("DingTalk atMobiles = %v, want both", at)
	}
	wecom := decode(t, notify.Plan(notify.WeCom, "", "督办提醒", due, 5)[0].Body)
	content := wecom["markdown"].(map[string]any)["content"].(string)
	if !strings.Contains(content, "**催办：河道清淤** <@LiangDeFu>") || strings.Contains(content, "13800000002") || strings.Count(content, "<@") != 1 {
		t.Errorf("WeCom markdown mentions: %s", content)
	}
}

// TestPlanMerges: what is due for one robot is merged into markdown posts
// within the limit, never more posts than the minute's budget.
func TestPlanMerges(t *testing.T) {
	due := func(n, size int) []notify.Due {
		var out []notify.Due
		for i := range n {
			out = append(out, notify.Due{ID: int64(i + 1), Message: notify.Message{Title: "催办", Body: strings.Repeat("字", size)}})
		}
		return out
	}
	for _, c := range []struct {
		name      string
		kind      notify.Kind
		due       []notify.Due
		budget    int
		posts     int
		carried   int // messages in the posts
		msgtype   string
		bodyLimit int
	}{
		{"no budget", notify.WeCom, due(3, 10), 0, 0, 0, "", 0},
		{"one message", notify.WeCom, due(1, 10), 3, 1, 1, "text", notify.WeComTextMax},
		{"thirty small into one", notify.DingTalk, due(30, 10), 1, 1, 30, "markdown", notify.DingTalkMax},
		{"WeCom splits at 4096 bytes", notify.WeCom, due(10, 300), 10, 3, 10, "markdown", notify.WeComMarkdownMax},
		{"budget of one leaves the rest", notify.WeCom, due(10, 300), 1, 1, 4, "markdown", notify.WeComMarkdownMax},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan := notify.Plan(c.kind, "", "督办提醒", c.due, c.budget)
			if len(plan) != c.posts {
				t.Fatalf("%d posts, want %d", len(plan), c.posts)
			}
			carried := 0
			seen := map[int64]bool{}
			for _, p := range plan {
				carried += len(p.IDs)
				for _, id := range p.IDs {
					if seen[id] {
						t.Errorf("message %d is in two posts", id)
					}
					seen[id] = true
				}
				v := decode(t, p.Body)
				if v["msgtype"] != c.msgtype && len(p.IDs) > 1 {
					t.Errorf("msgtype = %v, want %s", v["msgtype"], c.msgtype)
				}
				if md, ok := v["markdown"].(map[string]any); ok {
					text, _ := md["content"].(string)
					if c.kind == notify.DingTalk {
						text = md["text"].(string)
					}
					if len(text) > c.bodyLimit {
						t.Errorf("markdown is %d bytes, over %d", len(text), c.bodyLimit)
					}
				}
			}
			if carried != c.carried {
				t.Errorf("the posts carry %d messages, want %d", carried, c.carried)
			}
		})
	}
}

func TestMaskURL(t *testing.T) {
	got := notify.MaskURL("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa")
	if strings.Contains(got, "693a91f6") || !strings.HasSuffix(got, "key=****5aaa") {
		t.Errorf("masked = %s", got)
	}
}

// TestDeliverErrorsHideTheKey: a robot that cannot be reached fails with
// an error that names its address masked, never its key.
func TestDeliverErrorsHideTheKey(t *testing.T) {
	hook := notify.Webhook{Kind: notify.WeCom, URL: "http://127.0.0.1:1/cgi-bin/webhook/send?key=secret-key-abcd"}
	err := notify.Robots{}.Deliver(context.Background(), hook, []byte(`{}`))
	if err == nil {
		t.Fatal("a post to a closed port succeeded")
	}
	if strings.Contains(err.Error(), "secret-key") || !strings.Contains(err.Error(), "****abcd") {
		t.Errorf("error = %v, want the address masked", err)
	}
}
