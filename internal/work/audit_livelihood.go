package work

import (
	"context"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// livelihoodAuditNames names the livelihood projects and the evaluations
// on the audit page: a project as its year, number and title (2026·五、农村
// 道路提档升级), an evaluation as its task's title. They read without the
// reader's scope, since the entries are scoped already.
func (s *Store) livelihoodAuditNames() audit.Namers {
	return audit.Namers{
		"livelihood": func(ctx context.Context, _ i18n.Lang, ids []string) (map[string]string, error) {
			var w db.Where
			w.In("id", audit.IDs(ids))
			rows, err := s.DB.QueryContext(ctx, `SELECT id, year, number, title FROM livelihood_items`+w.SQL(), w.Args...)
			if err != nil {
				return nil, platform.Internalf("livelihood names: %w", err)
			}
			defer rows.Close()
			out := map[string]string{}
			for rows.Next() {
				var id int64
				var year, number int
				var title string
				if err := rows.Scan(&id, &year, &number, &title); err != nil {
					return nil, platform.Internalf("livelihood names: %w", err)
				}
				out[audit.ID(id)] = Item{Year: year, Number: number, Title: title}.Label()
			}
			return out, rows.Err()
		},
		"task_evaluation": audit.ByQuery(s.DB, `SELECT id, title FROM tasks`, "id"),
	}
}

// Label is how an item is named in a list of several years' items:
// 2026·五、农村道路提档升级.
func (it Item) Label() string { return strconv.Itoa(it.Year) + "·" + it.Numeral() + "、" + it.Title }
