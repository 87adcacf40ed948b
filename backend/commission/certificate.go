package commission

// certificate.go: the printed forms of a case — the statement the applicant signs,
// and the antibody certificate: its national-only DCC payload, signed and encoded as
// HC1, and its PDF.

import (
	"context"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"certkiosk/backend/audit"
	"certkiosk/backend/certpdf"
	"certkiosk/backend/dcc"
	"certkiosk/backend/registry"
)

// AntibodyTestType is the test type (tt) of the certificate's test entry: the LOINC
// code of SARS-CoV-2 antibodies, as Switzerland's national antibody certificate
// wrote it. It is outside the EU test-type value set on purpose (see the package
// doc).
const AntibodyTestType = registry.LOINCAntibody

// ErrNotConfigured: the Service has no signing issuer or no renderer, which Issue
// (both) and PrintStatement (the renderer) need.
var ErrNotConfigured = errors.New("commission: no issuer or renderer configured")

// PrintStatement renders the statement (the written application) of a case for the
// applicant's signature (clerk). It can be printed at any stage; it shows the
// applicant's data as the case holds them and the time the application was taken.
func (s *Service) PrintStatement(ctx context.Context, actor Actor, id string) ([]byte, error) {
	c, err := s.toPrint(ctx, actor, StepApply, id)
	if err != nil {
		return nil, err
	}
	return s.opts.Renderer.RenderStatement(certpdf.Statement{
		Case:       c.view.ID,
		Name:       c.person.Name,
		BirthDate:  c.person.BirthDate,
		System:     c.person.System,
		Identifier: printedIdentifier(c.person),
		Commission: s.opts.Commission,
		IssuedAt:   c.view.AppliedAt,
		Location:   s.location(),
		Specimen:   s.opts.Issuer != nil && s.opts.Issuer.Test,
	})
}

// toPrint reads a case for printing one of its forms, when the actor may take step
// and the Service has a renderer.
func (s *Service) toPrint(ctx context.Context, actor Actor, step Step, id string) (stored, error) {
	if err := actor.may(step); err != nil {
		return stored{}, err
	}
	if s.opts.Renderer == nil {
		return stored{}, fmt.Errorf("%w: no renderer", ErrNotConfigured)
	}
	row, ok := parseCaseID(id)
	if !ok {
		return stored{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	c, err := s.load(ctx, s.st.db, row)
	if err != nil {
		return stored{}, wrap("print", err)
	}
	return c, nil
}

// printedIdentifier writes a SNILS as on the card (123-456-789 01); an OMS number
// as it is.
func printedIdentifier(p person) string {
	v := p.Identifier
	if p.System == registry.SystemSNILS && len(v) == 11 {
		return v[0:3] + "-" + v[3:6] + "-" + v[6:9] + " " + v[9:]
	}
	return v
}

// issuedCertificate is what the certificate column seals: the signed code and the
// payload in it, so that a copy can be printed without signing again.
type issuedCertificate struct {
	HC1     string                `json:"hc1"`
	Payload dcc.HealthCertificate `json:"payload"`
	Expires time.Time             `json:"expires"`
}

// Issue signs and renders the certificate of an approved case (clerk), and moves the
// case to issued: into the register. Signing, rendering and the change are one
// transaction, so a failure leaves the case approved and a crash after it leaves it
// issued with its code kept for a copy (Reprint).
func (s *Service) Issue(ctx context.Context, actor Actor, id string) (Issued, error) {
	if err := actor.may(StepIssue); err != nil {
		return Issued{}, err
	}
	if s.opts.Issuer == nil || s.opts.Renderer == nil {
		return Issued{}, ErrNotConfigured
	}
	row, ok := parseCaseID(id)
	if !ok {
		return Issued{}, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	now := s.now().Truncate(time.Second) // CWT times are whole seconds
	var out Issued
	var p person
	err := s.st.write(ctx, func(tx *sql.Tx) error {
		if err := checkStage(ctx, tx, row, StepIssue); err != nil {
			return err
		}
		c, err := s.load(ctx, tx, row)
		if err != nil {
			return err
		}
		p = c.person
		cert, err := s.sign(c, now)
		if err != nil {
			return err
		}
		c.view.Stage, c.view.UVCI, c.view.IssuedAt = StageIssued, cert.Payload.CertificateID(), now.UTC()
		pdf, err := s.render(c, cert, now, false)
		if err != nil {
			return err
		}
		plain, err := json.Marshal(cert)
		if err != nil {
			return err
		}
		sealed, err := s.sealColumn(row, "certificate", plain)
		clear(plain)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE cases SET stage = ?, uvci = ?, certificate = ?, issued_by = ?, issued_at = ? WHERE id = ?`,
			StageIssued, c.view.UVCI, sealed, actor.StaffID, now.UnixNano(), row)
		out = Issued{Case: c.view, UVCI: c.view.UVCI, HC1: cert.HC1, PDF: pdf}
		return err
	})
	if err != nil {
		return Issued{}, wrap("issue", err)
	}
	if err := s.record(actor, StepIssue, audit.ActionIssued, p, map[string]string{audit.DetailUVCI: out.UVCI}); err != nil {
		return out, err
	}
	return out, nil
}

// Reprint renders the certificate of an issued case again, marked COPY, from the
// code signed at issue (clerk).
func (s *Service) Reprint(ctx context.Context, actor Actor, id string) ([]byte, error) {
	c, err := s.toPrint(ctx, actor, StepIssue, id)
	if err != nil {
		return nil, err
	}
	row := c.row
	if c.view.Stage != StageIssued {
		return nil, &StageError{Case: c.view.ID, Step: StepIssue, Stage: c.view.Stage, Want: StageIssued}
	}
	var sealed []byte
	if err := s.st.db.QueryRowContext(ctx, `SELECT certificate FROM cases WHERE id = ?`, row).Scan(&sealed); err != nil {
		return nil, wrap("reprint", err)
	}
	plain, err := s.openColumn(row, "certificate", sealed)
	if err != nil {
		return nil, err
	}
	var cert issuedCertificate
	err = json.Unmarshal(plain, &cert)
	clear(plain)
	if err != nil {
		return nil, fmt.Errorf("commission: reprint: %w", err)
	}
	return s.render(c, cert, c.view.IssuedAt, true)
}

// sign builds the case's payload and signs it.
func (s *Service) sign(c stored, now time.Time) (issuedCertificate, error) {
	prof := s.opts.Profile
	r := c.result
	if r == nil {
		return issuedCertificate{}, fmt.Errorf("commission: case %s has no lab result", c.view.ID)
	}
	sampled, err := time.ParseInLocation(time.DateOnly, r.Date, s.location())
	if err != nil {
		return issuedCertificate{}, fmt.Errorf("commission: case %s: sample date: %w", c.view.ID, err)
	}
	expires := s.validUntil(sampled)
	if !expires.After(now) {
		return issuedCertificate{}, fmt.Errorf("%w: case %s, sampled %s", ErrResultTooOld, c.view.ID, r.Date)
	}
	opaque, err := s.opaqueID(c.row)
	if err != nil {
		return issuedCertificate{}, err
	}
	uvci, err := dcc.NewUVCI(prof.Country, prof.UVCIIssuer, opaque)
	if err != nil {
		return issuedCertificate{}, err
	}
	name, err := dcc.NewName(splitName(c.person.Name))
	if err != nil {
		return issuedCertificate{}, fmt.Errorf("commission: case %s: %w", c.view.ID, err)
	}
	result := registry.SNOMEDNotDetected
	if c.view.Decision == DecisionPresent {
		result = registry.SNOMEDDetected
	}
	hc := dcc.HealthCertificate{
		Version:     dcc.SchemaVersion,
		Name:        name,
		DateOfBirth: c.person.BirthDate,
		Tests: []dcc.Test{{
			Target:    dcc.DiseaseCOVID19,
			Type:      AntibodyTestType,
			SampledAt: sampled.Format(time.RFC3339),
			Result:    result,
			Centre:    r.Laboratory,
			Country:   prof.Country,
			Issuer:    certificateIssuer(prof.Issuer),
			ID:        uvci,
		}},
	}
	// What the kiosk signs must pass its own verifier's schema check.
	raw, err := json.Marshal(hc)
	if err != nil {
		return issuedCertificate{}, err
	}
	if err := dcc.ValidatePayload(raw); err != nil {
		return issuedCertificate{}, err
	}
	cs, err := s.opts.Issuer.COSESigner()
	if err != nil {
		return issuedCertificate{}, err
	}
	msg, err := dcc.Sign(cs, s.opts.Issuer.KeyID(), dcc.Claims{Issuer: prof.Country, IssuedAt: now, Expires: expires, Certificate: hc})
	if err != nil {
		return issuedCertificate{}, err
	}
	hc1, err := dcc.EncodeHC1(msg)
	if err != nil {
		return issuedCertificate{}, err
	}
	return issuedCertificate{HC1: hc1, Payload: hc, Expires: expires}, nil
}

// certificateIssuer is the issuer as the payload's is holds it: at most 80
// characters, so a printed name in two languages ("… / …") keeps its first.
func certificateIssuer(printed string) string {
	if len([]rune(printed)) <= 80 {
		return printed
	}
	first, _, _ := strings.Cut(printed, " / ")
	if r := []rune(first); len(r) > 80 {
		return string(r[:80])
	}
	return first
}

// opaqueID is the UVCI's unique part: the case id and six random characters, so
// that kiosks with their own registers never give the same identifier.
func (s *Service) opaqueID(row int64) (string, error) {
	var b [5]byte
	if _, err := io.ReadFull(s.opts.Rand, b[:]); err != nil {
		return "", fmt.Errorf("commission: UVCI: %w", err)
	}
	random := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
	return caseID(row) + "X" + random[:6], nil
}

// render sets a case's certificate; reprint marks it COPY.
func (s *Service) render(c stored, cert issuedCertificate, issued time.Time, reprint bool) ([]byte, error) {
	r := c.result
	present := c.view.Decision == DecisionPresent
	return s.opts.Renderer.RenderAntibody(certpdf.AntibodyCertificate{
		Payload:       cert.Payload,
		HC1:           cert.HC1,
		Present:       present,
		Test:          r.Test,
		Value:         string(r.Value),
		Unit:          r.Unit,
		ReferenceLow:  string(r.ReferenceLow),
		ReferenceHigh: string(r.ReferenceHigh),
		Laboratory:    r.Laboratory,
		SampleDate:    r.Date,
		Decider:       c.view.DecidedBy,
		Approvers:     c.view.ApprovedBy,
		Case:          c.view.ID,
		ValidUntil:    cert.Expires.In(s.location()).AddDate(0, 0, -1).Format(time.DateOnly),
		Issuer:        s.opts.Profile.Issuer,
		IssuedAt:      issued,
		Location:      s.location(),
		VerifyURL:     s.opts.Profile.VerifyURLFor(c.view.UVCI),
		Specimen:      s.opts.Issuer != nil && s.opts.Issuer.Test,
		Copy:          reprint,
	})
}
