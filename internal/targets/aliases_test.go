package targets_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// indicatorNamed finds an indicator the caller sees by its name.
func indicatorNamed(t *testing.T, s *targets.Store, ctx context.Context, name string) targets.Indicator {
	t.Helper()
	inds, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range inds {
		if in.Name == name {
			return in
		}
	}
	t.Fatalf("no indicator %s", name)
	return targets.Indicator{}
}

// aliasesOf lists the aliases of an indicator the caller sees, in one
// township (0: the shared ones).
func aliasesOf(t *testing.T, s *targets.Store, ctx context.Context, id, township int64) []string {
	t.Helper()
	all, err := s.Aliases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, a := range all[id] {
		if (a.TownshipID == nil && township == 0) || (a.TownshipID != nil && *a.TownshipID == township) {
			out = append(out, a.Alias)
		}
	}
	return out
}

// TestCatalogueSubItemsAndAliases: the default catalogue carries its
// sub-items and shared aliases; a township keeps its own aliases, audited
// and seen by it alone; an alias or a name that would name two indicators
// in one layer, a parent two levels deep or the indicator itself, are
// refused naming what clashes.
func TestCatalogueSubItemsAndAliases(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		admin, tongji, linjiang := as(t, d, "admin"), as(t, d, "tongji"), as(t, d, "linjiang")
		town := mustUnit(t, d, "XX镇")
		ind := func(name string) targets.Indicator { return indicatorNamed(t, s, admin, name) }

		for sub, parent := range map[string]string{"工业投资": "固定资产投资", "高新技术产业产值": "规上工业总产值", "房地产开发投资": "固定资产投资"} {
			if got := ind(sub).ParentID; got == nil || *got != ind(parent).ID {
				t.Errorf("%s's parent = %v, want %s (%d)", sub, got, parent, ind(parent).ID)
			}
		}
		if got := aliasesOf(t, s, admin, ind("一般公共预算收入").ID, 0); !slices.Equal(got, []string{"公共财政预算收入", "地方一般公共预算收入"}) {
			t.Errorf("shared aliases of 一般公共预算收入 = %v", got)
		}

		// A township's own alias, written as a person types it.
		tax := ind("税收收入")
		before := mustCount(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator_aliases'`)
		if err := s.SetAliases(tongji, tax.ID, targets.ParseAliases("入库 税收、税收收入，区级税收\n区级税收")); err != nil {
			t.Fatal(err)
		}
		if got := aliasesOf(t, s, tongji, tax.ID, town); !slices.Equal(got, []string{"入库税收", "区级税收"}) {
			t.Errorf("XX镇's aliases of 税收收入 = %v, want 入库税收, 区级税收 (its own name dropped)", got)
		}
		if got := mustCount(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator_aliases'`); got != before+1 {
			t.Errorf("%d alias audit entries, want %d", got, before+1)
		}
		if got := aliasesOf(t, s, linjiang, tax.ID, town); len(got) != 0 {
			t.Errorf("临江镇 sees XX镇's aliases %v", got)
		}

		fai := ind("固定资产投资").ID
		own, err := s.SaveIndicator(tongji, targets.Indicator{Name: "农业招商项目", MeasureUnit: "个", ParentID: &fai})
		if err != nil {
			t.Fatalf("an own sub-item of a shared indicator: %v", err)
		}
		self := ind("固定资产投资")
		for _, tc := range []struct {
			name       string
			do         func() error
			code       platform.Code
			key, field string
		}{
			{"own alias naming another of the township's own aliases", func() error { return s.SetAliases(tongji, ind("工业投资").ID, []string{"入库税收"}) },
				platform.Conflict, "target.err.alias_clash", "aliases"},
			{"own alias naming the township's own indicator", func() error { return s.SetAliases(tongji, tax.ID, []string{"农业招商项目"}) },
				platform.Conflict, "target.err.alias_clash", "aliases"},
			{"shared alias naming a shared indicator", func() error { return s.SetAliases(admin, ind("一般公共预算收入").ID, []string{"入库税收"}) },
				platform.Conflict, "target.err.alias_clash", "aliases"},
			{"shared alias naming another's shared alias", func() error {
				return s.SetAliases(admin, ind("实际到账外资").ID, []string{"公共财政预算收入"})
			},
				platform.Conflict, "target.err.alias_clash", "aliases"},
			{"own indicator named like an own alias", func() error {
				_, err := s.SaveIndicator(tongji, targets.Indicator{Name: "区级 税收"})
				return err
			}, platform.Conflict, "target.err.name_is_alias", "name"},
			{"a reporter setting aliases", func() error { return s.SetAliases(as(t, d, "shuangtang"), tax.ID, []string{"税收"}) },
				platform.Forbidden, "", ""},
			{"its own parent", func() error { self.ParentID = &self.ID; _, err := s.SaveIndicator(admin, self); return err },
				platform.Invalid, "target.err.parent_self", "parent_id"},
			{"a parent that is a sub-item", func() error {
				sub := ind("工业投资").ID
				_, err := s.SaveIndicator(tongji, targets.Indicator{Name: "技改投资", ParentID: &sub})
				return err
			}, platform.Invalid, "target.err.parent_depth", "parent_id"},
			{"a parent with sub-items becoming a sub-item", func() error {
				in := ind("规上工业总产值")
				gdp := ind("地区生产总值").ID
				in.ParentID = &gdp
				_, err := s.SaveIndicator(admin, in)
				return err
			}, platform.Invalid, "target.err.has_subitems", "parent_id"},
			{"a shared indicator under a township's own", func() error {
				in := ind("综合能耗")
				in.ParentID = &own.ID
				_, err := s.SaveIndicator(admin, in)
				return err
			}, platform.Invalid, "target.err.no_parent_indicator", "parent_id"},
		} {
			err := tc.do()
			var pe *platform.Error
			if platform.ErrorCode(err) != tc.code || (tc.key != "" && (!asError(err, &pe) || pe.Key != tc.key || pe.Field != tc.field)) {
				t.Errorf("%s: err = %v, want %s %s on %s", tc.name, err, tc.code, tc.key, tc.field)
			}
		}
		// Across layers the import's order settles a name, so a township
		// may give a shared alias to another indicator of its own.
		if err := s.SetAliases(tongji, ind("工业投资").ID, []string{"公共财政预算收入"}); err != nil {
			t.Errorf("an own alias shadowing a shared one: %v", err)
		}
		if got := ind("固定资产投资").ParentID; got != nil {
			t.Errorf("a refused parent was written: %v", *got)
		}
	})
}

func asError(err error, target **platform.Error) bool { return errors.As(err, target) }

// TestUpgradeCatalog: an installed system missing an indicator of the
// default catalogue gets it, with its parent and aliases; one not installed
// is left to its installation.
func TestUpgradeCatalog(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := store(d)
		if err := s.UpgradeCatalog(ctx); err != nil {
			t.Fatal(err)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM indicators`); n != 0 {
			t.Fatalf("an empty system got %d indicators", n)
		}
		loadDemo(t, d)
		for _, q := range []string{
			`DELETE FROM indicator_aliases WHERE indicator_id IN (SELECT id FROM indicators WHERE name IN ('高新技术产业产值', '规模以上工业增加值'))`,
			`DELETE FROM indicators WHERE name IN ('高新技术产业产值', '规模以上工业增加值')`,
		} {
			if _, err := d.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.UpgradeCatalog(ctx); err != nil {
			t.Fatal(err)
		}
		admin := as(t, d, "admin")
		if got := indicatorNamed(t, s, admin, "高新技术产业产值").ParentID; got == nil || *got != indicatorNamed(t, s, admin, "规上工业总产值").ID {
			t.Errorf("the restored 高新技术产业产值 has parent %v", got)
		}
		if got := aliasesOf(t, s, admin, indicatorNamed(t, s, admin, "规模以上工业增加值").ID, 0); !slices.Equal(got, []string{"规上工业增加值"}) {
			t.Errorf("the restored 规模以上工业增加值 has aliases %v", got)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM indicators WHERE township_id IS NULL`); n != len(targets.DefaultCatalog) {
			t.Errorf("%d shared indicators, want %d", n, len(targets.DefaultCatalog))
		}
	})
}
