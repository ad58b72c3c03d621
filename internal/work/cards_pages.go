package work

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

// TaskCards is the cards part of a task's page.
type TaskCards struct {
	List      []Card
	RedAfter  int  // the township's rule
	Repeat    int  // yellows before a red
	CanExempt bool // the office of the task's township
}

// taskCards reads the cards of t for its page.
func (h *Handlers) taskCards(ctx context.Context, p *TaskPage, t Task) error {
	var err error
	if p.Cards.List, err = h.Store.Cards(ctx, t.ID); err != nil {
		return err
	}
	if p.Cards.RedAfter, err = h.Store.RedAfter(ctx, h.Store.DB, t.TownshipID); err != nil {
		return err
	}
	p.Cards.Repeat = RepeatYellows
	p.Cards.CanExempt = Office(p.User) && officeOver(p.User, t.townPath)
	return nil
}

func (h *Handlers) exemptCard(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	card, err := strconv.ParseInt(r.PathValue("card"), 10, 64)
	if err != nil {
		return platform.ErrNotFound
	}
	var reason string
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { reason = f.String("reason", true, MaxExemptReason) },
		Do: func(ctx context.Context) (string, error) {
			return "/tasks/" + strconv.FormatInt(id, 10), h.Store.Exempt(ctx, id, card, reason)
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
	})
}

// CardsPage is 预警亮牌: each township's standing cards, linked to the
// register filtered by colour, and its rule for the office to set.
type CardsPage struct {
	web.Base
	Townships []TownshipCards
	Repeat    int // yellows before a red
	Form      web.FormView
}

// LadderField is one rung's days in the rules form.
type LadderField struct {
	Name, Label string
	Days        int
}

// Ladder is the rules form's fields of the escalation days, rung by rung.
func (t TownshipCards) Ladder() []LadderField {
	labels := [len(t.Rules.Escalate)]string{"task.rules.escalate_1", "task.rules.escalate_2", "task.rules.escalate_3"}
	out := make([]LadderField, len(t.Rules.Escalate))
	for i, d := range t.Rules.Escalate {
		out[i] = LadderField{Name: "escalate_" + strconv.Itoa(i+1), Label: labels[i], Days: d}
	}
	return out
}

// TownshipCards is one township's line on the cards page.
type TownshipCards struct {
	Township    org.Unit
	Yellow, Red int
	Rules       Rules
	CanSet      bool
}

// CardCounts counts the standing cards of each colour in the caller's
// scope, by the register's own filter, so each count is the rows of the
// list it links to.
func (s *Store) CardCounts(ctx context.Context, f Filter) (map[Color]int, error) {
	out := map[Color]int{}
	for _, c := range Colors {
		f.Card = &c
		n, err := s.Count(ctx, f)
		if err != nil {
			return nil, err
		}
		out[c] = n
	}
	return out, nil
}

func (h *Handlers) cards(w http.ResponseWriter, r *http.Request) error {
	return h.renderCards(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderCards(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	ctx := r.Context()
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	p := CardsPage{Base: h.Pages.Base(r, "task.card.board"), Repeat: RepeatYellows, Form: fv}
	for _, tw := range sc.Townships() {
		line := TownshipCards{Township: tw, CanSet: Office(p.User) && officeOver(p.User, tw.Path)}
		f := Filter{}
		if sc.Has(tw.ID) {
			id := tw.ID
			f.UnitID = &id
		}
		n, err := h.Store.CardCounts(ctx, f)
		if err != nil {
			return err
		}
		line.Yellow, line.Red = n[YellowCard], n[RedCard]
		if line.Rules, err = h.Store.Rules(ctx, h.Store.DB, tw.ID); err != nil {
			return err
		}
		p.Townships = append(p.Townships, line)
	}
	return h.views.cards.Render(w, r, status, p)
}

// setRules saves a township's supervision rules from the cards page.
func (h *Handlers) setRules(w http.ResponseWriter, r *http.Request) error {
	var township int64
	var rules Rules
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			township = f.Int64("township", true)
			rules.RedAfter = int(f.Int64("red_after", true))
			rules.DueWindow = int(f.Int64("due_window", true))
			rules.DigestAt = f.String("digest_at", false, 5)
			for i := range rules.Escalate {
				rules.Escalate[i] = int(f.Int64("escalate_"+strconv.Itoa(i+1), true))
			}
		},
		Do: func(ctx context.Context) (string, error) {
			return "/tasks/cards", h.Store.SetRules(ctx, township, rules)
		},
		Again: func(status int, fv web.FormView) error { return h.renderCards(w, r, status, fv) },
	})
}
