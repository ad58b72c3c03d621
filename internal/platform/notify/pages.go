package notify

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates/*.html
var templates embed.FS

func sub(f embed.FS, dir string) fs.FS { s, _ := fs.Sub(f, dir); return s }

// Room is the notifications as the app mounts them: the inbox for every
// account, the robots and the delivery log for administrators.
func Room(s *Store) room.Room {
	h := &Handlers{Store: s}
	return room.Room{
		Name:       "notify",
		Templates:  sub(templates, "templates"),
		Nav:        []web.NavItem{{Key: "notify.nav.webhooks", Href: "/admin/webhooks", Perm: auth.ManageUsers, Order: 96}},
		Routes:     h.Routes,
		Fixtures:   fixtures,
		Messages:   []i18n.Catalog{Messages},
		Keys:       []string{"notify."},
		Migrations: sub(migrations, "migrations"),
	}
}

// Handlers serve the inbox and the administrators' pages.
type Handlers struct {
	Store      *Store
	Pages      *web.Renderer
	inbox      *web.Page[InboxPage]
	note       *web.Page[NotePage]
	webhooks   *web.Page[WebhooksPage]
	deliveries *web.Page[DeliveriesPage]
}

// Routes registers the pages.
func (h *Handlers) Routes(rt *web.Router, pages *web.Renderer) {
	h.Pages = pages
	h.inbox = web.NewPage[InboxPage](pages, "notify/inbox")
	h.note = web.NewPage[NotePage](pages, "notify/note")
	h.webhooks = web.NewPage[WebhooksPage](pages, "notify/webhooks")
	h.deliveries = web.NewPage[DeliveriesPage](pages, "notify/deliveries")
	rt.Handle("GET /inbox", h.inboxPage)
	rt.Handle("GET /inbox/{id}", h.notePage)
	rt.Handle("POST /inbox/read", h.readAll)
	rt.Handle("GET /admin/webhooks", h.webhooksPage)
	rt.Handle("POST /admin/webhooks", h.addWebhook)
	rt.Handle("POST /admin/webhooks/{id}/disable", h.disable(true))
	rt.Handle("POST /admin/webhooks/{id}/enable", h.disable(false))
	rt.Handle("GET /admin/deliveries", h.deliveriesPage)
}

// InboxPage is 消息: the signed-in account's messages, newest first.
type InboxPage struct {
	web.Base
	Notes  []Note
	Unread int
	More   int64 // the id to page on from, 0 when there is no more
}

func (h *Handlers) inboxPage(w http.ResponseWriter, r *http.Request) error {
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	notes, err := h.Store.Inbox(r.Context(), before)
	if err != nil {
		return err
	}
	p := InboxPage{Base: h.Pages.Base(r, "notify.inbox"), Notes: notes}
	p.Unread = p.Base.Unread
	if len(notes) == InboxPageSize {
		p.More = notes[len(notes)-1].ID
	}
	return h.inbox.Render(w, r, http.StatusOK, p)
}

// NotePage is one message, read on opening.
type NotePage struct {
	web.Base
	Note Note
}

func (h *Handlers) notePage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	n, err := h.Store.Open(r.Context(), id)
	if err != nil {
		return err
	}
	p := NotePage{Base: h.Pages.Base(r, "notify.inbox"), Note: n}
	p.Heading = n.Title
	p.Unread = h.Store.Unread(r.Context(), p.User.ID) // counted after the opening
	return h.note.Render(w, r, http.StatusOK, p)
}

func (h *Handlers) readAll(w http.ResponseWriter, r *http.Request) error {
	return web.Submit(w, r, h.Pages, web.Submission{
		Do:    func(ctx context.Context) (string, error) { return "/inbox", h.Store.ReadAll(ctx) },
		Again: func(status int, fv web.FormView) error { return h.inboxPage(w, r) },
		Flash: "notify.flash.all_read",
	})
}

// WebhooksPage is the administrators' list of robots and the form to add
// one.
type WebhooksPage struct {
	web.Base
	Webhooks []Webhook
	Units    []UnitChoice
	Kinds    []Kind
	Form     web.FormView
}

// UnitChoice is a unit the administrator may give a robot.
type UnitChoice struct {
	ID    int64
	Label string
}

func (h *Handlers) webhooksPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderWebhooks(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderWebhooks(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	hooks, err := h.Store.Webhooks(r.Context())
	if err != nil {
		return err
	}
	units, err := h.Store.units(r.Context())
	if err != nil {
		return err
	}
	p := WebhooksPage{Base: h.Pages.Base(r, "notify.webhooks"), Webhooks: hooks, Units: units, Kinds: Kinds, Form: fv}
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"kind": string(DingTalk)}
	}
	return h.webhooks.Render(w, r, status, p)
}

func (h *Handlers) addWebhook(w http.ResponseWriter, r *http.Request) error {
	var in WebhookInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = WebhookInput{
				UnitID:  f.Int64("unit_id", true),
				Kind:    Kind(f.String("kind", true, 20)),
				Name:    f.String("name", false, 40),
				URL:     f.String("url", true, MaxURL),
				Secret:  f.String("secret", false, 200),
				Keyword: f.String("keyword", false, 20),
			}
			// Credentials are never sent back to the page, not even to the
			// one who typed them.
			delete(f.Values, "url")
			delete(f.Values, "secret")
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.AddWebhook(ctx, in)
			return "/admin/webhooks", err
		},
		Again: func(status int, fv web.FormView) error {
			delete(fv.Values, "url")
			delete(fv.Values, "secret")
			return h.renderWebhooks(w, r, status, fv)
		},
		Flash: "notify.flash.added",
	})
}

func (h *Handlers) disable(disabled bool) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := web.PathID(r)
		if err != nil {
			return err
		}
		return web.Submit(w, r, h.Pages, web.Submission{
			Do: func(ctx context.Context) (string, error) {
				return "/admin/webhooks", h.Store.SetDisabled(ctx, id, disabled)
			},
			Again: func(status int, fv web.FormView) error { return h.renderWebhooks(w, r, status, fv) },
		})
	}
}

// DeliveriesPage is the delivery log of the administrator's robots.
type DeliveriesPage struct {
	web.Base
	Deliveries []Delivery
}

// deliveriesShown bounds the log's page.
const deliveriesShown = 200

func (h *Handlers) deliveriesPage(w http.ResponseWriter, r *http.Request) error {
	ds, err := h.Store.Deliveries(r.Context(), deliveriesShown)
	if err != nil {
		return err
	}
	return h.deliveries.Render(w, r, http.StatusOK, DeliveriesPage{Base: h.Pages.Base(r, "notify.deliveries"), Deliveries: ds})
}

// units lists the units in the administrator's scope, in tree order.
func (s *Store) units(ctx context.Context) ([]UnitChoice, error) {
	u, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, name FROM units WHERE path LIKE $1 ORDER BY path`, u.UnitPath+"%")
	if err != nil {
		return nil, platform.Internalf("units: %w", err)
	}
	defer rows.Close()
	var out []UnitChoice
	for rows.Next() {
		var c UnitChoice
		if err := rows.Scan(&c.ID, &c.Label); err != nil {
			return nil, platform.Internalf("units: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
