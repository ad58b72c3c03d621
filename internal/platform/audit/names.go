package audit

import (
	"context"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// Namer names the objects of one entity kind for the audit page: the words a
// reader knows an object by ("入库税收 · 东湖村 · 2026"), in lang, for each id
// it finds. It reads all ids in one query (or one per table it joins), so a
// page of entries costs one query per kind, never one per row. Ids it does
// not find (deleted objects, ids that are not numbers) are left out: the
// page falls back to the name the entry itself kept.
type Namer func(ctx context.Context, lang i18n.Lang, ids []string) (map[string]string, error)

// Namers are the namers of every entity kind, by kind ("target", "unit").
// The rooms that own the tables provide them; the platform only calls them.
type Namers map[string]Namer

// IDs returns the numeric ids among ids, each once, for a Namer's query.
func IDs(ids []string) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, s := range ids {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
	}
	return out
}

// ByQuery is a Namer that reads (id, name) pairs of query through q for the
// ids asked, col being the id's column ("id", "c.id") in the WHERE it adds.
func ByQuery(q db.Queryer, query, col string) Namer {
	return func(ctx context.Context, _ i18n.Lang, ids []string) (map[string]string, error) {
		var w db.Where
		w.In(col, IDs(ids))
		rows, err := q.QueryContext(ctx, query+w.SQL(), w.Args...)
		if err != nil {
			return nil, platform.Internalf("audit names: %w", err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return nil, platform.Internalf("audit names: %w", err)
			}
			out[ID(id)] = name
		}
		return out, rows.Err()
	}
}
