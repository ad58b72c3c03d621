package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"guatu/internal/app"
	"guatu/internal/org"
)

// withOrg opens the database and runs fn with an org store acting as the
// system, which carries the other rooms' rows along a change to the tree.
func withOrg(ctx context.Context, c *common, fn func(ctx context.Context, s *org.Store) error) error {
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := fn(system(ctx), app.OrgStore(d)); err != nil {
		return describe(err)
	}
	return nil
}

func cmdUnit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, "Usage: guatu unit list|add|move|rename|delete [flags]\n")
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs, c := newFlags("unit "+sub, "unit "+sub+" [flags]", stderr)
	unit := fs.String("unit", "", "the unit: its id or exact name")
	parent := fs.String("parent", "", "the parent unit: its id or exact name (unit add without it makes a root unit)")
	kind := fs.String("kind", "", "district, township, department, village, community or grid")
	name := fs.String("name", "", "the unit's name")
	sortKey := fs.Int("sort", 0, "position among its siblings")
	if done, err := parse(fs, args); done {
		return err
	}
	need := func(vals ...string) error {
		for _, v := range vals {
			if v == "" {
				fs.Usage()
				return errUsage
			}
		}
		return nil
	}
	switch sub {
	case "list":
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			units, err := s.Units(ctx)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tNAME\tPEOPLE")
			for _, u := range units {
				fmt.Fprintf(tw, "%d\t%s\t%s%s\t%d\n", u.ID, u.Kind, strings.Repeat("  ", u.Depth), u.Name, u.People)
			}
			return tw.Flush()
		})
	case "add":
		if err := need(*kind, *name); err != nil {
			return err
		}
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			in := org.UnitInput{Kind: org.Kind(*kind), Name: *name, Sort: *sortKey}
			under := "the top of the tree"
			if *parent != "" { // without --parent the unit is a root: a district or a lone township
				p, err := s.ResolveUnit(ctx, *parent)
				if err != nil {
					return err
				}
				in.ParentID, under = &p.ID, p.Name
			}
			u, err := s.CreateUnit(ctx, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created unit %s (id %d) under %s\n", u.Name, u.ID, under)
			return nil
		})
	case "move", "rename":
		if err := need(*unit); err != nil {
			return err
		}
		if (sub == "move" && *parent == "") || (sub == "rename" && *name == "") {
			fs.Usage()
			return errUsage
		}
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			u, err := s.ResolveUnit(ctx, *unit)
			if err != nil {
				return err
			}
			in := org.UnitInput{ParentID: u.ParentID, Kind: u.Kind, Name: u.Name, Sort: u.Sort}
			if sub == "move" {
				p, err := s.ResolveUnit(ctx, *parent)
				if err != nil {
					return err
				}
				in.ParentID = &p.ID
			} else {
				in.Name = *name
			}
			if _, err := s.UpdateUnit(ctx, u.ID, in); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "updated unit %d\n", u.ID)
			return nil
		})
	case "delete":
		if err := need(*unit); err != nil {
			return err
		}
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			u, err := s.ResolveUnit(ctx, *unit)
			if err != nil {
				return err
			}
			if err := s.DeleteUnit(ctx, u.ID); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "deleted unit %s (id %d)\n", u.Name, u.ID)
			return nil
		})
	default:
		fmt.Fprintf(stderr, "guatu: unknown unit command %q (list, add, move, rename, delete)\n", sub)
		return errUsage
	}
}

func cmdPerson(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, "Usage: guatu person add|list [flags]\n")
		return errUsage
	}
	sub, args := args[0], args[1:]
	fs, c := newFlags("person "+sub, "person "+sub+" [flags]", stderr)
	unit := fs.String("unit", "", "the unit: its id or exact name")
	name := fs.String("name", "", "the person's name")
	title := fs.String("title", "", "job title, e.g. 统计站站长")
	phone := fs.String("phone", "", "phone number")
	if done, err := parse(fs, args); done {
		return err
	}
	switch sub {
	case "add":
		if *unit == "" || *name == "" {
			fs.Usage()
			return errUsage
		}
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			u, err := s.ResolveUnit(ctx, *unit)
			if err != nil {
				return err
			}
			p, err := s.CreatePerson(ctx, org.PersonInput{UnitID: u.ID, Name: *name, Title: *title, Phone: *phone})
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created person %s (id %d) in %s\n", p.Name, p.ID, u.Name)
			return nil
		})
	case "list":
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			var f org.PeopleFilter
			if *unit != "" {
				u, err := s.ResolveUnit(ctx, *unit)
				if err != nil {
					return err
				}
				f.UnitID = &u.ID
			}
			people, _, err := s.People(ctx, f)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tTITLE\tPHONE\tUNIT")
			for _, p := range people {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", p.ID, p.Name, p.Title, p.Phone, p.UnitName)
			}
			return tw.Flush()
		})
	default:
		fmt.Fprintf(stderr, "guatu: unknown person command %q (add, list)\n", sub)
		return errUsage
	}
}
