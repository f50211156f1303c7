package main

import (
	"context"
	"fmt"
	"io"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/programme"
)

// demoWelcome gives a fresh demo a way in: an administrator and a partner
// coordinator with generated passwords and a paired door device for the event
// under way, printed once on
// the console (never logged). It runs only when the demo was just loaded.
func demoWelcome(ctx context.Context, a *app, w io.Writer) error {
	svc := a.svc.Accounts
	p, err := a.store.ProjectByCode(ctx, a.store.DB, programme.ProjectCode)
	if err != nil {
		return err
	}
	_, password, err := svc.CreateUser(ctx, nil, account.UserInput{
		Email: "admin@example.org", Name: "Demo administrator", Role: auth.RoleAdmin, ProjectID: &p.ID, Language: "lv",
	}, "")
	if err != nil {
		return fmt.Errorf("demo administrator: %w", err)
	}
	// A partner coordinator, to try registering a town's delegation.
	partners, err := a.store.Partners(ctx, a.store.DB, p.ID)
	if err != nil {
		return err
	}
	var kaunas *int64
	for i := range partners {
		if partners[i].Slug == "kaunas" {
			kaunas = &partners[i].ID
		}
	}
	_, partnerPassword, err := svc.CreateUser(ctx, nil, account.UserInput{
		Email: "kaunas@example.org", Name: "Demo partner coordinator (Kaunas)", Role: auth.RolePartner,
		ProjectID: &p.ID, PartnerID: kaunas, Language: "en",
	}, "")
	if err != nil {
		return fmt.Errorf("demo partner coordinator: %w", err)
	}
	ev, err := a.store.EventBySlug(ctx, a.store.DB, "decode-4-lodz")
	if err != nil {
		return err
	}
	pairing, err := a.svc.Checkin.AddDevice(ctx, nil, ev.ID, "Demo door", a.cfg.BaseURL)
	if err != nil {
		return fmt.Errorf("demo door device: %w", err)
	}
	fmt.Fprintln(w, "Demo loaded. Shown once, keep them:")
	fmt.Fprintf(w, "  sign in at %s/signin as admin@example.org with password %s\n", a.cfg.BaseURL, password)
	fmt.Fprintf(w, "  partner coordinator of Kaunas (delegations): kaunas@example.org with password %s\n", partnerPassword)
	fmt.Fprintf(w, "  door scanner for event 4 (open on a phone): %s\n", pairing.URL)
	return nil
}
