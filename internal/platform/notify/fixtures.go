package notify

import (
	"time"

	"guatu/internal/platform/web"
)

// fixtures are sample data for every page, every list filled.
func fixtures() []web.Fixture {
	at := time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)
	notes := []Note{
		{ID: 2, Title: "催办：双塘村河道清淤", Body: "请于本周内报送进展。", Link: "/tasks/1", CreatedAt: at},
		{ID: 1, Title: "催办：秋季招商签约", CreatedAt: at.Add(-time.Hour), ReadAt: &at},
	}
	hooks := []Webhook{
		{ID: 1, UnitID: 3, UnitName: "双塘村", Kind: DingTalk, Name: "双塘村工作群", URL: "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456", Secret: "SECabcdef", Keyword: "督办", CreatedAt: at},
		{ID: 2, UnitID: 4, UnitName: "经发办", Kind: WeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6", Disabled: true, CreatedAt: at},
	}
	form := web.FormView{Values: map[string]string{"unit_id": "3", "kind": "dingtalk", "name": "群"}, Errors: map[string]string{"url": "请检查", "unit_id": "请检查", "kind": "请检查", "name": "请检查", "secret": "请检查", "keyword": "请检查", "_": "请检查"}}
	return []web.Fixture{
		{Page: "inbox", Data: InboxPage{Notes: notes, Unread: 1, More: 1}},
		{Page: "note", Data: NotePage{Note: notes[0]}},
		{Page: "webhooks", Data: WebhooksPage{Webhooks: hooks, Units: []UnitChoice{{ID: 3, Label: "双塘村"}}, Kinds: Kinds, Form: form}},
		{Page: "deliveries", Data: DeliveriesPage{Deliveries: []Delivery{
			{ID: 2, At: at, UnitName: "双塘村", Kind: DingTalk, Robot: "双塘村工作群", OutboxID: 1, Title: "催办：双塘村河道清淤", Outcome: "refused", ErrCode: 310000, Detail: "keywords not in content"},
			{ID: 1, At: at, UnitName: "双塘村", Kind: WeCom, Robot: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****91f6", OutboxID: 1, Title: "催办", Outcome: "sent"},
		}}},
	}
}
