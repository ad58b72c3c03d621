package targets_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestImportKeepsTheSheetNotTheFile: the file is parsed once, at upload; the
// preview and the commit read the rows kept in the database, and check them
// against the data as it is then.
func TestImportKeepsTheSheetNotTheFile(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		p, err := s.StartImport(ctx, targets.ImportInput{Filename: "10月.xlsx", Data: cleanOctober(t), UnitID: res.TownshipID, Year: 2026})
		if err != nil || !p.Clean() {
			t.Fatalf("StartImport = %+v, %v", p, err)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM imports WHERE token = $1 AND sheet LIKE '%入库税收%'`, p.Token); n != 1 {
			t.Fatalf("the import keeps no rows")
		}
		// What the preview shows is what is kept: change a kept value and
		// the preview follows; no file is there to be read again.
		if _, err := d.ExecContext(context.Background(), `UPDATE imports SET sheet = REPLACE(sheet, '48000.5', '48001.5') WHERE token = $1`, p.Token); err != nil {
			t.Fatal(err)
		}
		again, err := s.Import(ctx, p.Token)
		if err != nil {
			t.Fatal(err)
		}
		if v := again.Rows[0].Value; v == nil || *v != 48001.5 {
			t.Errorf("preview's 入库税收 = %v, want the kept 48001.5", fmtp(v))
		}
		// The catalogue changes before the commit: the kept rows are checked
		// against it, and nothing is written.
		if _, err := d.ExecContext(context.Background(), `UPDATE indicators SET name = '入库税收（旧）' WHERE name = '入库税收'`); err != nil {
			t.Fatal(err)
		}
		figures := mustCount(t, d, `SELECT COUNT(*) FROM figures`)
		p2, err := s.CommitImport(ctx, p.Token, targets.Confirm{})
		if platform.ErrorCode(err) != platform.Invalid || p2 == nil || len(p2.Problems) != 1 || p2.Problems[0].Key != "import.err.unknown_indicator" {
			t.Fatalf("commit after a rename: %v, %+v; want the unknown indicator", err, p2)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM figures`); n != figures {
			t.Errorf("a refused commit wrote %d figures", n-figures)
		}
		// A problem's whole-number arguments come back as numbers the
		// messages' %d can show.
		dup := sheetFile(t, "XX镇2026年1-10月", []any{"指标名称", "计量单位", "1-10月累计"},
			[]any{"新发展市场主体", "户", 1700}, []any{"新发展市场主体", "户", 1700})
		bad, err := s.StartImport(ctx, targets.ImportInput{Filename: "x.xlsx", Data: dup, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		kept, err := s.Import(ctx, bad.Token)
		if err != nil {
			t.Fatal(err)
		}
		if len(kept.Problems) != 1 || kept.Problems[0].Key != "import.err.duplicate_row" || len(kept.Problems[0].Args) != 2 || kept.Problems[0].Args[0] != 3 || kept.Problems[0].Args[1] != "A" {
			t.Errorf("kept problems = %+v, want the duplicate of row 3, as an int", kept.Problems)
		}
	})
}

// TestImportKeepsThreePending: a fourth upload drops the oldest pending one;
// committed imports do not count.
func TestImportKeepsThreePending(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		now := demoNow
		s := &targets.Store{DB: d, Now: func() time.Time { return now }}
		ctx := as(t, d, "tongji")
		upload := func() string {
			t.Helper()
			now = now.Add(time.Minute)
			p, err := s.StartImport(ctx, targets.ImportInput{Filename: "10月.xlsx", Data: cleanOctober(t), UnitID: res.TownshipID, Year: 2026})
			if err != nil {
				t.Fatal(err)
			}
			return p.Token
		}
		done := upload()
		if _, err := s.CommitImport(ctx, done, targets.Confirm{}); err != nil {
			t.Fatal(err)
		}
		var tokens []string
		for range 4 {
			tokens = append(tokens, upload())
		}
		if _, err := s.Import(ctx, tokens[0]); platform.ErrorCode(err) != platform.NotFound || platform.AsError(err).Key != "import.err.gone" {
			t.Errorf("the oldest of four pending: %v, want it gone", err)
		}
		for _, tok := range append(tokens[1:], done) {
			if _, err := s.Import(ctx, tok); err != nil {
				t.Errorf("import %s: %v", tok, err)
			}
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM imports WHERE committed_at IS NULL`); n != 3 {
			t.Errorf("%d pending imports, want 3", n)
		}
		// Another account's pending imports are its own.
		other := as(t, d, "admin")
		if _, err := s.StartImport(other, targets.ImportInput{Filename: "a.xlsx", Data: cleanOctober(t), UnitID: res.TownshipID, Year: 2026}); err != nil {
			t.Fatal(err)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM imports WHERE committed_at IS NULL`); n != 4 {
			t.Errorf("%d pending imports after another account's upload, want 4", n)
		}
	})
}

// TestDropStaleImports runs the cleanup on a clock moved forward: pending
// imports go after 24 hours, committed ones keep their record.
func TestDropStaleImports(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		now := demoNow
		s := &targets.Store{DB: d, Now: func() time.Time { return now }}
		ctx := as(t, d, "tongji")
		upload := func() string {
			t.Helper()
			p, err := s.StartImport(ctx, targets.ImportInput{Filename: "10月.xlsx", Data: cleanOctober(t), UnitID: res.TownshipID, Year: 2026})
			if err != nil {
				t.Fatal(err)
			}
			return p.Token
		}
		old, committed := upload(), upload()
		if _, err := s.CommitImport(ctx, committed, targets.Confirm{}); err != nil {
			t.Fatal(err)
		}
		now = now.Add(23 * time.Hour)
		young := upload()

		if n, err := s.DropStaleImports(context.Background()); err != nil || n != 0 {
			t.Fatalf("after 23 hours: dropped %d, %v; want none", n, err)
		}
		now = demoNow.Add(targets.PendingFor + time.Second)
		if n, err := s.DropStaleImports(context.Background()); err != nil || n != 1 {
			t.Fatalf("after 24 hours: dropped %d, %v; want the old one", n, err)
		}
		if _, err := s.Import(ctx, old); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("the stale import: %v, want it gone", err)
		}
		if p, err := s.Import(ctx, young); err != nil || p.Committed || len(p.Rows) != 5 {
			t.Errorf("the young import: %+v, %v", p, err)
		}
		p, err := s.Import(ctx, committed)
		if err != nil || !p.Committed || p.Figures != 5 || len(p.Problems) != 0 || p.Month != 10 {
			t.Errorf("the committed import a day on: %+v, %v; want its record, 5 figures, no problems", p, err)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM imports WHERE sheet <> '' AND committed_at IS NOT NULL`); n != 0 {
			t.Errorf("%d committed imports still keep their rows after a day", n)
		}
	})
}
