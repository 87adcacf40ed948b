package queue

// reportjob.go: running a report job, and the FHIR reporter: each report is a FHIR R4
// Communication created on the registry with a conditional create, so that a report
// sent again after a crash records nothing twice.
//
// The demo registry takes reports too (POST Communication); a worker without a
// Reporter leaves report jobs pending, where they wait for a registry that takes them.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"certkiosk/backend/registry"
)

// Reporter tells the registry which certificates were issued.
type Reporter interface {
	// Report records r once per r.Key. An error wrapping registry.ErrUnreachable is
	// retried without counting; ErrReportRejected parks the job for staff; any other
	// error counts toward parking.
	Report(ctx context.Context, r Report) error
}

// ErrReportRejected: the registry refused the report, or takes none; sending it again
// will not help.
var ErrReportRejected = errors.New("queue: report rejected by the registry")

func (w *Worker) runReport(ctx context.Context, l *lease) error {
	q := w.Queue
	plain, err := q.getSealed(ctx, l.ID, l.Key)
	if errors.Is(err, ErrSealed) {
		return q.park(ctx, l, "the report's data cannot be opened: "+err.Error())
	}
	if err != nil {
		return err
	}
	var r Report
	if err := json.Unmarshal(plain, &r); err != nil {
		return q.park(ctx, l, "the report's data cannot be read: "+err.Error())
	}
	r.Key = l.Key
	step, cancel := w.step(ctx)
	err = w.Reporter.Report(step, r)
	cancel()
	switch {
	case ctx.Err() != nil:
		return ctx.Err()
	case err == nil:
		return q.finish(ctx, l)
	case errors.Is(err, registry.ErrUnreachable):
		return q.later(ctx, l, q.delay(l.Attempts-1), redact(err.Error(), r.Subject.Value), "")
	case errors.Is(err, ErrReportRejected):
		return q.park(ctx, l, redact(err.Error(), r.Subject.Value))
	}
	_, err = q.fail(ctx, l, redact(err.Error(), r.Subject.Value))
	return err
}

// ReportSystem is the identifier system of the reports the kiosk creates: the value is
// the report job's key.
const ReportSystem = "urn:certkiosk:report"

// FHIRReporter reports to a FHIR R4 registry: POST {BaseURL}/Communication with
// If-None-Exist: identifier=urn:certkiosk:report|KEY (FHIR R4 http.html, "Conditional
// create"), a Communication whose subject is the person's identifier and whose
// payload lists the certificate identifiers (UVCIs). A report that ships an audit
// entry (Report.Entry) is POST {BaseURL}/AuditEvent with If-None-Exist:
// entity:identifier=urn:certkiosk:audit-entry|HASH (auditship.go).
type FHIRReporter struct {
	BaseURL string
	// Client sends the requests; nil: a client with a 15 s timeout.
	Client *http.Client
	// Site names the kiosk in the AuditEvents it ships (AuditEvent.source.site);
	// empty: none.
	Site string
}

// maxReportAnswer caps what is read of the registry's answer.
const maxReportAnswer = 64 << 10

// Report sends r. 200 or 201 is success (200: the registry already had it); 5xx, 429
// and failures to connect wrap registry.ErrUnreachable; 404, 405 and 501 (the registry
// takes no Communication, or no AuditEvent) and any other 4xx wrap ErrReportRejected.
func (f *FHIRReporter) Report(ctx context.Context, r Report) error {
	if r.Entry != nil {
		ev, err := auditEvent(*r.Entry, f.Site)
		if err != nil {
			return err
		}
		return f.create(ctx, "AuditEvent", ev, "entity:identifier="+url.QueryEscape(AuditSystem+"|"+r.Entry.Hash.String()))
	}
	return f.create(ctx, "Communication", communication(r), "identifier="+url.QueryEscape(ReportSystem+"|"+r.Key))
}

// create POSTs resource to {BaseURL}/{typ} as a conditional create on the search
// ifNoneExist.
func (f *FHIRReporter) create(ctx context.Context, typ string, resource any, ifNoneExist string) error {
	base, err := url.Parse(strings.TrimRight(f.BaseURL, "/"))
	if err != nil || base.Scheme != "http" && base.Scheme != "https" || base.Host == "" {
		return fmt.Errorf("%w: base URL %q is not an http or https URL", ErrReportRejected, f.BaseURL)
	}
	body, err := json.Marshal(resource)
	if err != nil {
		return err
	}
	u := base.JoinPath(typ)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/fhir+json")
	req.Header.Set("Accept", "application/fhir+json")
	req.Header.Set("If-None-Exist", ifNoneExist)
	client := f.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%w: report to %s: %v", registry.ErrUnreachable, u.Redacted(), err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxReportAnswer))
	switch c := resp.StatusCode; {
	case c == http.StatusOK || c == http.StatusCreated:
		return nil
	case c == http.StatusTooManyRequests || c >= 500 && c != http.StatusNotImplemented:
		return fmt.Errorf("%w: report to %s: HTTP %d", registry.ErrUnreachable, u.Redacted(), c)
	case c == http.StatusNotFound || c == http.StatusMethodNotAllowed || c == http.StatusNotImplemented:
		return fmt.Errorf("%w: %s takes no reports (HTTP %d for POST %s)", ErrReportRejected, u.Redacted(), c, typ)
	}
	return fmt.Errorf("%w: report to %s: HTTP %d", ErrReportRejected, u.Redacted(), resp.StatusCode)
}

// fhirCommunication is the subset of a FHIR R4 Communication the kiosk sends.
type fhirCommunication struct {
	ResourceType string        `json:"resourceType"`
	Identifier   []fhirIdent   `json:"identifier"`
	Status       string        `json:"status"`
	Category     []fhirConcept `json:"category"`
	Subject      fhirReference `json:"subject"`
	Sent         string        `json:"sent"`
	Sender       fhirReference `json:"sender"`
	Payload      []fhirPayload `json:"payload"`
}

type fhirIdent struct {
	System string `json:"system"`
	Value  string `json:"value"`
}

type fhirConcept struct {
	Coding []fhirCoding `json:"coding"`
	Text   string       `json:"text,omitempty"`
}

type fhirCoding struct {
	System string `json:"system"`
	Code   string `json:"code"`
}

type fhirReference struct {
	Identifier *fhirIdent `json:"identifier,omitempty"`
	Display    string     `json:"display,omitempty"`
}

type fhirPayload struct {
	ContentString string `json:"contentString"`
}

// communication is r as a Communication: one payload entry per UVCI.
func communication(r Report) fhirCommunication {
	c := fhirCommunication{
		ResourceType: "Communication",
		Identifier:   []fhirIdent{{System: ReportSystem, Value: r.Key}},
		Status:       "completed",
		Category: []fhirConcept{{
			Coding: []fhirCoding{{System: "urn:certkiosk:communication-category", Code: "certificates-issued"}},
			Text:   "COVID-19 certificates issued",
		}},
		Subject: fhirReference{Identifier: &fhirIdent{System: r.Subject.System, Value: r.Subject.Value}},
		Sent:    r.IssuedAt.UTC().Format(time.RFC3339),
		Sender:  fhirReference{Display: "CertKiosk (" + r.Profile + ")"},
	}
	for _, u := range r.Certificates {
		c.Payload = append(c.Payload, fhirPayload{ContentString: u})
	}
	return c
}
