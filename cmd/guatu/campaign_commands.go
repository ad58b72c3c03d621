package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"guatu/internal/org"
	"guatu/internal/platform/clock"
)

// cmdCampaign lists, adds and changes campaigns (攻坚行动), as the
// /campaigns pages do, for scripts and a first install.
func cmdCampaign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, "Usage: guatu campaign list|add|set [flags]\n")
		return errUsage
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "list":
		fs, c := newFlags("campaign list", "campaign list [--township U]", stderr)
		township := fs.String("township", "", "only this township's campaigns: its id or exact name")
		if done, err := parse(fs, args); done {
			return err
		}
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			var f org.CampaignFilter
			if *township != "" {
				u, err := s.ResolveUnit(ctx, *township)
				if err != nil {
					return err
				}
				f.TownshipID = &u.ID
			}
			rows, _, err := s.FindCampaigns(ctx, f)
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tTOWNSHIP\tYEAR\tSTART\tEND\tNAME")
			for _, r := range rows {
				fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", r.ID, r.TownshipName, r.Year, r.Start.Format(clock.DateFormat), r.End.Format(clock.DateFormat), r.Name)
			}
			return tw.Flush()
		})
	case "add":
		fs, c := newFlags("campaign add", "campaign add --township U --name N --start YYYY-MM-DD --end YYYY-MM-DD [--goals TEXT]", stderr)
		township := fs.String("township", "", "the township: its id or exact name")
		in := campaignFlags(fs)
		if done, err := parse(fs, args); done {
			return err
		}
		if *township == "" || in.Name == "" || in.Start == "" || in.End == "" {
			fs.Usage()
			return errUsage
		}
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			u, err := s.ResolveUnit(ctx, *township)
			if err != nil {
				return err
			}
			in.TownshipID = u.ID
			row, err := s.AddCampaign(ctx, *in)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "created campaign %s (id %d) in %s, %s to %s\n", row.Name, row.ID, row.TownshipName, row.Start.Format(clock.DateFormat), row.End.Format(clock.DateFormat))
			return nil
		})
	case "set":
		fs, c := newFlags("campaign set", "campaign set --id N [--name N] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--goals TEXT]", stderr)
		id := fs.Int64("id", 0, "the campaign's id (see campaign list)")
		in := campaignFlags(fs)
		if done, err := parse(fs, args); done {
			return err
		}
		if *id <= 0 {
			fs.Usage()
			return errUsage
		}
		given := map[string]bool{}
		fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
		return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
			before, err := s.Campaign(ctx, *id)
			if err != nil {
				return err
			}
			// What is not given stays as it is; --goals "" clears the goals.
			next := org.CampaignInput{Name: before.Name, Start: before.Start.Format(clock.DateFormat), End: before.End.Format(clock.DateFormat), Goals: before.Goals}
			for name, f := range map[string]struct{ to, from *string }{
				"name": {&next.Name, &in.Name}, "start": {&next.Start, &in.Start}, "end": {&next.End, &in.End}, "goals": {&next.Goals, &in.Goals},
			} {
				if given[name] {
					*f.to = *f.from
				}
			}
			if err := s.UpdateCampaign(ctx, *id, next); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "updated campaign %d\n", *id)
			return nil
		})
	default:
		fmt.Fprintf(stderr, "guatu: unknown campaign command %q (list, add, set)\n", sub)
		return errUsage
	}
}

// campaignFlags declares the flags add and set share, read into the input.
func campaignFlags(fs *flag.FlagSet) *org.CampaignInput {
	in := &org.CampaignInput{}
	fs.StringVar(&in.Name, "name", "", "the campaign's name, e.g. 大干一百天，冲刺四季度")
	fs.StringVar(&in.Start, "start", "", "first day, YYYY-MM-DD")
	fs.StringVar(&in.End, "end", "", "last day, YYYY-MM-DD, in the same year")
	fs.StringVar(&in.Goals, "goals", "", "the goals it was called for, up to 2,000 characters")
	return in
}
