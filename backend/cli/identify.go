package cli

// identify.go: certkiosk identify — who a document's machine-readable zone or a typed
// identifier says the person is, as JSON; or the one check that failed.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"certkiosk/backend/identity"
	"certkiosk/backend/rules"
	"certkiosk/drivers/usb"
)

// maxMRZInput caps --mrz - : a zone is at most 90 characters and its line ends.
const maxMRZInput = 4 << 10

// identified is the Person as printed: the identifier with lower-case keys, like
// the rest of the output, and left out when there is none.
type identified struct {
	Identifier *identifierJSON `json:"identifier,omitempty"`
	identity.Person
}

type identifierJSON struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

func runIdentify(ctx context.Context, env *Env, args []string) error {
	fs, _ := newFlags(env, "identify")
	mrz := fs.String("mrz", "", "a document's machine-readable zone: its lines separated by line ends or spaces, or - to read them from stdin")
	id := fs.String("id", "", "an identifier typed in: SYSTEM|VALUE (urn:ee:personal-code, urn:ru:snils, urn:ru:oms, urn:az:fin), or VALUE in the --profile's first system")
	card := fs.Bool("card", false, "read the ID card in the card reader: through pcscd when it runs and has a reader, else the USB reader")
	profile := fs.String("profile", "", "take only identifiers this jurisdiction profile finds people by (default: any)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	given := 0
	for _, set := range []bool{*mrz != "", *id != "", *card} {
		if set {
			given++
		}
	}
	if given != 1 {
		return usagef("give one of --mrz TEXT, --id SYSTEM|VALUE or --card")
	}
	var systems []string
	var p *rules.Profile
	if *profile != "" {
		var err error
		if p, err = rules.Load(*profile); err != nil {
			return err
		}
		systems = p.IdentifierSystems
	}

	var person identity.Person
	var err error
	switch {
	case *card:
		host := usb.NewHost()
		person, err = readAnyCard(ctx, host)
		host.Close()
		if err != nil {
			return err // nothing read is printed: a card gives all or nothing
		}
		if len(systems) > 0 && !slices.Contains(systems, person.Identifier.System) {
			return fmt.Errorf("%w: the ID card carries an Estonian personal code, and people are found here by %s",
				identity.ErrNoIdentifier, strings.Join(systems, " or "))
		}
	case *id != "":
		system, value, found := strings.Cut(*id, "|")
		if p != nil {
			sub, perr := parseSubject(p, *id)
			if perr != nil {
				return perr
			}
			system, value = sub.System, sub.Value
		} else if !found {
			return usagef("--id %q: give SYSTEM|VALUE, or --profile to take the profile's first system", *id)
		}
		if person, err = identity.FromStaffEntry(system, value); err != nil {
			return err
		}
	default:
		text := *mrz
		if text == "-" {
			b, rerr := io.ReadAll(io.LimitReader(env.Stdin, maxMRZInput))
			if rerr != nil {
				return rerr
			}
			text = string(b)
		} else if !strings.ContainsAny(text, "\r\n") {
			text = strings.Join(strings.Fields(text), "\n")
		}
		m, perr := identity.ParseMRZ(text, env.Now())
		if perr != nil {
			return perr
		}
		// Without an identifier the person is still printed, with the reason
		// after it on stderr.
		person, err = identity.FromMRZ(m, systems...)
	}

	out := identified{Person: person}
	if person.Identifier.System != "" {
		out.Identifier = &identifierJSON{System: person.Identifier.System, Value: person.Identifier.Value}
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetEscapeHTML(false)
	if werr := enc.Encode(out); werr != nil {
		return werr
	}
	return err
}
