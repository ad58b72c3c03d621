package work

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"guatu/internal/platform/web"
)

// RemindView is the task page's reminders section: the list, and the form
// for the office or a leader.
type RemindView struct {
	Can       bool
	Reminders []ReminderRow
}

// ReminderRow is a reminder with the names it shows.
type ReminderRow struct {
	Reminder
	UnitName   string
	PersonName string
}

// remindView reads the reminders of t for its page.
func (h *Handlers) remindView(ctx context.Context, t Task) (RemindView, error) {
	v := RemindView{Can: h.Store.CanRemind(ctx, t)}
	rems, err := h.Store.Reminders(ctx, t.ID)
	if err != nil {
		return v, err
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return v, err
	}
	var people []int64
	for _, r := range rems {
		if r.PersonID != nil {
			people = append(people, *r.PersonID)
		}
	}
	names := map[int64]string{}
	if len(people) > 0 {
		if names, err = sc.PersonNames(ctx, people); err != nil {
			return v, err
		}
	}
	for _, r := range rems {
		row := ReminderRow{Reminder: r}
		if u, ok := sc.Tree.Unit(r.UnitID); ok {
			row.UnitName = u.Name
		}
		if r.PersonID != nil {
			row.PersonName = names[*r.PersonID]
		}
		v.Reminders = append(v.Reminders, row)
	}
	return v, nil
}

// remind records a reminder from the task page's form.
func (h *Handlers) remind(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var note string
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { note = f.String("note", true, MaxComment) },
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.Urge(ctx, id, note)
			return "/tasks/" + strconv.FormatInt(id, 10), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
		Flash: "task.remind.flash",
	})
}

// remindFixture is the task page's reminders for the page check.
func remindFixture(at time.Time) RemindView {
	person := int64(9)
	answered := at.Add(3 * time.Hour)
	return RemindView{Can: true, Reminders: []ReminderRow{
		{Reminder: Reminder{ID: 2, TaskID: 1, ActorLogin: "duban", UnitID: 3, PersonID: &person, Recipients: []string{"shuangtang", "liangdefu"},
			Channels: []string{ChannelInbox, "dingtalk", "wecom"}, Note: "请本周内报送进展", At: at, AnsweredAt: &answered}, UnitName: "双塘村", PersonName: "梁德福"},
		{Reminder: Reminder{ID: 1, TaskID: 1, ActorLogin: "shuji", UnitID: 3, Recipients: []string{"shuangtang"}, Channels: []string{ChannelInbox},
			Note: "进度滞后", At: at.Add(-24 * time.Hour)}, UnitName: "双塘村"},
	}}
}
