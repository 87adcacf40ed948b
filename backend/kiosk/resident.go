// resident.go: the resident's path — attract, language, identify (card, document,
// claim code), fetching, results, preview, printing, done — and the failures on
// the way.

package kiosk

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"certkiosk/backend/audit"
	"certkiosk/backend/dcc"
	"certkiosk/backend/identity"
	"certkiosk/backend/issuance"
	"certkiosk/backend/queue"
	"certkiosk/backend/registry"
	"certkiosk/drivers/sim"
)

// offlineWait is how long the session waits for the worker to accept a request the
// registry could not answer, and give it its claim code.
const offlineWait = 30 * time.Second

// Start leaves the attract screen for the choice of language.
func (a *App) Start() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if a.st.Screen == ScreenAttract {
		a.st.Screen = ScreenLanguage
		a.commitLocked()
	}
}

// ChooseLanguage switches the session's language. From attract or the language
// screen it goes on to identify; later in the flow the screen stays and its texts
// change.
func (a *App) ChooseLanguage(code string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if !slices.ContainsFunc(a.languages, func(l Language) bool { return l.Code == code }) {
		return ErrUnknown
	}
	a.st.Language = code
	if a.st.Screen == ScreenAttract || a.st.Screen == ScreenLanguage {
		a.st.Screen = ScreenIdentify
	}
	if a.sess != nil {
		a.st.Refusals = a.refusalsLocked(a.sess.outcome.Refusals)
	}
	a.commitLocked()
	return nil
}

// InsertDemoCard puts a demo person's card in the simulated reader and reads it
// through the same driver path a real card takes; fetching follows.
func (a *App) InsertDemoCard(personID string) error {
	h, err := a.demoHolder(personID)
	if err != nil {
		return err
	}
	reader := a.svc.sim.Reader()
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if err := a.canIdentifyLocked(); err != nil {
		return err
	}
	if err := reader.Insert(h.Holder, a.clock.Now()); err != nil {
		return ErrInternal
	}
	a.st.Devices = a.devices()
	return a.beginLocked(func(ctx context.Context) (identity.Person, error) {
		p, err := reader.ReadPerson(ctx)
		if err != nil {
			return identity.Person{}, failure("card-unreadable", err)
		}
		return p, nil
	}, noActor)
}

// ScanDemoDocument scans the machine-readable zone of a demo person's identity
// document; it is read as any scan is (SimulateScan).
func (a *App) ScanDemoDocument(personID string) error {
	h, err := a.demoHolder(personID)
	if err != nil {
		return err
	}
	zone, err := h.MRZ(a.clock.Now())
	if errors.Is(err, sim.ErrNoDocument) {
		return ErrUnknown
	}
	if err != nil {
		return ErrInternal
	}
	return a.scan([]byte(zone))
}

// SimulateScan hands the simulated scanner a payload: an HC1 certificate is
// verified, a machine-readable zone identifies the resident.
func (a *App) SimulateScan(text string) error {
	if a.svc == nil {
		return ErrNotReady
	}
	if a.svc.sim == nil {
		return ErrNotDemo
	}
	return a.scan([]byte(text))
}

// scan handles one scan, as the scanner gives it.
func (a *App) scan(data []byte) error {
	s := identity.ClassifyScan(data, a.clock.Now())
	switch s.Kind {
	case identity.ScanHC1:
		return a.verify(s.Text)
	case identity.ScanMRZ:
		a.mu.Lock()
		defer a.mu.Unlock()
		a.touchLocked()
		if err := a.canIdentifyLocked(); err != nil {
			return err
		}
		if s.Err != nil {
			a.failLocked(Failure{Reason: "scan-unreadable"})
			return nil
		}
		p, err := identity.FromMRZ(*s.MRZ, a.svc.profile.IdentifierSystems...)
		if err != nil {
			a.failLocked(Failure{Reason: "scan-unreadable"})
			return nil
		}
		return a.beginLocked(func(context.Context) (identity.Person, error) { return p, nil }, noActor)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if err := a.canIdentifyLocked(); err != nil {
		return err
	}
	a.failLocked(Failure{Reason: "scan-unreadable"})
	return nil
}

// canIdentifyLocked refuses to start a session while one is being fetched; from a
// finished one (done, failed) a new one starts. a.mu is held.
func (a *App) canIdentifyLocked() error {
	if a.svc == nil {
		return ErrNotReady
	}
	switch a.st.Screen {
	case ScreenAttract, ScreenLanguage, ScreenIdentify, ScreenDone, ScreenFailed, ScreenClaim, ScreenVerify:
		return nil
	}
	return ErrBusy
}

// failureError carries the failure reason a step of fetching ended with.
type failureError struct {
	reason string
	err    error
}

func (e *failureError) Error() string { return e.reason + ": " + e.err.Error() }
func (e *failureError) Unwrap() error { return e.err }

func failure(reason string, err error) error { return &failureError{reason, err} }

// newSessionLocked drops the session there is and starts an empty one. a.mu is held.
func (a *App) newSessionLocked() *session {
	a.dropSessionLocked()
	a.sess = &session{key: queue.NewKey()}
	a.sess.actor = audit.Actor{Kind: audit.ActorResidentSession, ID: "s-" + a.sess.key}
	return a.sess
}

// noActor is the staff actor of a session a resident started.
var noActor audit.Actor

// dropSessionLocked ends the session there is, cancelling its work, and clears what
// the screen shows of it; the language and the staff stay. a.mu is held.
func (a *App) dropSessionLocked() {
	if a.sess != nil && a.sess.cancel != nil {
		a.sess.cancel()
	}
	a.sess = nil
	a.gen++
	a.st.Person, a.st.Fetch, a.st.Preview, a.st.Print, a.st.Failure, a.st.Verify = nil, nil, nil, nil, nil, nil
	a.st.Offers, a.st.Refusals = []Offer{}, []Refusal{}
}

// beginLocked starts a session for the person read tells, and fetches their
// records in the background. staffActor is the staff member who typed the
// identifier, or the zero Actor. a.mu is held.
func (a *App) beginLocked(read func(context.Context) (identity.Person, error), staffActor audit.Actor) error {
	if a.st.Screen == ScreenAttract {
		a.st.Language = a.languages[0].Code
	}
	s := a.newSessionLocked()
	if staffActor.ID != "" {
		s.actor = staffActor
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.cancel = cancel
	gen := a.gen
	a.st.Screen = ScreenFetching
	a.st.Fetch = &FetchView{Step: "card", Attempt: 1}
	a.commitLocked()
	a.bg.Go(func() {
		defer cancel()
		a.fetch(ctx, gen, read)
	})
	return nil
}

// current runs f with a.mu held when the session gen is still the one shown, and
// reports whether it was.
func (a *App) current(gen uint64, f func(s *session)) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.gen != gen || a.sess == nil {
		return false
	}
	f(a.sess)
	return true
}

func (a *App) step(gen uint64, name string) {
	a.current(gen, func(*session) {
		a.st.Fetch = &FetchView{Step: name, Attempt: 1}
		a.commitLocked()
	})
}

// fetch reads the person, hands over what is held for them, else looks them up and
// decides; it ends on results, printing or failed.
func (a *App) fetch(ctx context.Context, gen uint64, read func(context.Context) (identity.Person, error)) {
	svc := a.svc
	p, err := read(ctx)
	if err != nil {
		a.fetchFailed(ctx, gen, err)
		return
	}
	if p.Identifier.Value == "" {
		a.fetchFailed(ctx, gen, failure("scan-unreadable", identity.ErrNoIdentifier))
		return
	}
	id := p.Identifier
	var actor audit.Actor
	ok := a.current(gen, func(s *session) {
		s.person = &p
		actor = a.actorLocked()
		if p.FamilyName != "" || len(p.GivenNames) > 0 {
			a.st.Person = &PersonView{Name: displayName(p.GivenNames, p.FamilyName), BirthDate: p.BirthDate}
			a.commitLocked()
		}
	})
	if !ok {
		return
	}
	a.record(audit.Event{Actor: actor, Action: audit.ActionIdentified, Person: audit.Identifier(id)})

	// The same person again: what is held for them prints now.
	n, err := svc.queue.ReleaseSubject(ctx, id)
	switch {
	case errors.Is(err, queue.ErrNotReady):
		a.stillWaiting(ctx, gen, id)
		return
	case err != nil:
		a.fetchFailed(ctx, gen, err)
		return
	case n > 0:
		a.releasedFor(ctx, gen, id, actor)
		return
	}

	rec, src, err := svc.lookup(ctx, svc.profile, id, func(name string) { a.step(gen, name) })
	if errors.Is(err, registry.ErrUnreachable) {
		a.offline(ctx, gen, id)
		return
	}
	if err != nil {
		a.fetchFailed(ctx, gen, err)
		return
	}
	a.record(audit.Event{Actor: actor, Action: audit.ActionFetched, Person: audit.Identifier(id),
		Details: map[string]string{audit.DetailSource: string(src)}})
	a.step(gen, "rules")
	iss, err := svc.issuers.Service(svc.profile.Code)
	if err != nil {
		a.fetchFailed(ctx, gen, err)
		return
	}
	now := a.clock.Now()
	out, err := iss.Issue(rec, now)
	if err != nil {
		a.fetchFailed(ctx, gen, err)
		return
	}
	for _, r := range out.Refusals {
		a.record(audit.Event{Actor: actor, Action: audit.ActionRefused, Person: audit.Identifier(id),
			Details: map[string]string{audit.DetailReason: string(r.Code), audit.DetailKind: string(r.Kind)}})
	}
	a.current(gen, func(s *session) {
		s.record, s.outcome, s.issuedAt = rec, out, now.Truncate(time.Second)
		if rec != nil {
			a.st.Person = &PersonView{Name: displayName(rec.Patient.GivenNames, rec.Patient.FamilyName), BirthDate: rec.Patient.BirthDate}
		}
		a.st.Fetch = nil
		a.st.Offers = a.offers(out)
		a.st.Refusals = a.refusalsLocked(out.Refusals)
		a.st.Screen = ScreenResults
		a.commitLocked()
	})
}

// fetchFailed shows why fetching stopped; nothing when the resident cancelled.
func (a *App) fetchFailed(ctx context.Context, gen uint64, err error) {
	if ctx.Err() != nil {
		return
	}
	reason := "internal"
	var fe *failureError
	if errors.As(err, &fe) {
		reason = fe.reason
	}
	a.log.Warn("kiosk: fetching failed", "reason", reason)
	a.current(gen, func(*session) { a.failLocked(Failure{Reason: reason}) })
}

// failLocked shows the failed screen. a.mu is held.
func (a *App) failLocked(f Failure) {
	a.st.Fetch = nil
	a.st.Failure = &f
	a.st.Screen = ScreenFailed
	a.commitLocked()
}

// offline records the request in the queue when the registry cannot be reached, and
// waits for the worker to accept it offline: a claim code, a receipt printing.
func (a *App) offline(ctx context.Context, gen uint64, id registry.Identifier) {
	q := a.svc.queue
	var key string
	a.current(gen, func(s *session) { key = s.key })
	job, _, err := q.Add(ctx, queue.Request{Key: key, Profile: a.svc.profile.Code, Subject: id})
	if err != nil {
		a.fetchFailed(ctx, gen, failure("registry-unreachable", err))
		return
	}
	a.log.Info("kiosk: registry unreachable; request queued", "job", job.ID)
	a.current(gen, func(s *session) { s.request = job.ID })
	deadline := time.Now().Add(offlineWait)
	for time.Now().Before(deadline) {
		code, err := q.ClaimCode(ctx, job.ID)
		if err == nil && code != "" {
			a.queuedFailure(ctx, gen, job.ID, code)
			return
		}
		if j, err := q.Get(ctx, job.ID); err == nil && j.State == queue.StateDone && !j.Claimed {
			// The registry answered the worker meanwhile: the documents print now.
			a.printRequest(ctx, gen, job.ID, func(queue.Job) bool { return true })
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(50 * time.Millisecond):
		}
	}
	a.current(gen, func(*session) { a.failLocked(Failure{Reason: "registry-unreachable", Queued: true}) })
}

// queuedFailure shows the queued request: its claim code, and its receipt printing.
func (a *App) queuedFailure(ctx context.Context, gen uint64, request int64, code string) {
	jobs, _ := a.svc.queue.PrintJobsOf(ctx, request)
	a.current(gen, func(s *session) {
		for _, j := range jobs {
			if j.Document == queue.DocReceipt && !slices.ContainsFunc(s.jobs, func(x sessionJob) bool { return x.id == j.ID }) {
				s.jobs = append(s.jobs, sessionJob{id: j.ID, what: "receipt"})
			}
		}
		a.st.Print = a.printViewLocked(nil)
		a.failLocked(Failure{Reason: "registry-unreachable", Queued: true, ClaimCode: code})
	})
}

// stillWaiting shows a person whose earlier request still waits for the registry.
func (a *App) stillWaiting(ctx context.Context, gen uint64, id registry.Identifier) {
	reqs, err := a.svc.queue.SubjectRequests(ctx, id)
	if err != nil {
		a.fetchFailed(ctx, gen, err)
		return
	}
	for _, r := range slices.Backward(reqs) {
		if !r.Terminal() {
			code, _ := a.svc.queue.ClaimCode(ctx, r.ID)
			a.current(gen, func(*session) {
				a.failLocked(Failure{Reason: "registry-unreachable", Queued: true, ClaimCode: code})
			})
			return
		}
	}
	a.fetchFailed(ctx, gen, failure("registry-unreachable", queue.ErrNotReady))
}

// releasedFor shows the documents released for the person who identified again.
func (a *App) releasedFor(ctx context.Context, gen uint64, id registry.Identifier, actor audit.Actor) {
	reqs, err := a.svc.queue.SubjectRequests(ctx, id)
	if err != nil {
		a.fetchFailed(ctx, gen, err)
		return
	}
	a.record(audit.Event{Actor: actor, Action: audit.ActionReleased, Person: audit.Identifier(id)})
	for _, r := range reqs {
		if r.Claimed {
			a.printRequest(ctx, gen, r.ID, released)
		}
	}
}

// released tells the print jobs a release has just made due, however far the
// worker has taken them since.
func released(j queue.Job) bool { return j.State != queue.StateHeld && j.State != queue.StateCancelled }

// printRequest shows the print jobs of a request that keep shows, and the printing
// screen.
func (a *App) printRequest(ctx context.Context, gen uint64, request int64, keep func(queue.Job) bool) {
	jobs, err := a.svc.queue.PrintJobsOf(ctx, request)
	if err != nil {
		a.fetchFailed(ctx, gen, err)
		return
	}
	a.current(gen, func(s *session) {
		for _, j := range jobs {
			if j.Document == queue.DocReceipt || !keep(j) {
				continue
			}
			if !slices.ContainsFunc(s.jobs, func(x sessionJob) bool { return x.id == j.ID }) {
				s.jobs = append(s.jobs, sessionJob{id: j.ID, what: string(j.Document)})
			}
		}
		a.st.Fetch = nil
		a.st.Screen = ScreenPrinting
		a.st.Print = a.printViewLocked(nil)
		a.commitLocked()
	})
}

// Cancel goes back to identify: from fetching (the registry call is cancelled),
// verify and claim.
func (a *App) Cancel() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	switch a.st.Screen {
	case ScreenFetching, ScreenVerify, ScreenClaim, ScreenFailed:
	default:
		return
	}
	a.dropSessionLocked()
	a.st.Screen = ScreenIdentify
	a.commitLocked()
}

// offers are the certificates of an outcome as the results screen lists them.
func (a *App) offers(out issuance.Outcome) []Offer {
	loc := a.svc.profile.Location()
	offers := []Offer{}
	for i, c := range out.Certificates {
		o := Offer{ID: "c" + strconv.Itoa(i+1), Kind: string(c.Kind), Source: string(c.Source)}
		if o.Source == "" {
			o.Source = string(registry.SourceLocal)
		}
		switch {
		case len(c.Payload.Vaccinations) > 0:
			v := c.Payload.Vaccinations[0]
			o.Dose, o.Doses, o.Date = v.DoseNumber, v.TotalDoses, v.Date
		case len(c.Payload.Tests) > 0:
			o.Date = c.Payload.Tests[0].SampledAt
			if t, err := time.Parse(time.RFC3339, o.Date); err == nil {
				o.Date = t.In(loc).Format(time.DateOnly)
			}
		case len(c.Payload.Recoveries) > 0:
			o.Date = c.Payload.Recoveries[0].FirstPositive
		}
		if !c.ValidFrom.IsZero() {
			o.ValidFrom = c.ValidFrom.In(loc).Format(time.DateOnly)
		}
		if !c.ValidUntil.IsZero() {
			o.ValidUntil = c.ValidUntil.Add(-time.Second).In(loc).Format(time.DateOnly)
		}
		offers = append(offers, o)
	}
	return offers
}

// refusalsLocked are the refusals in the session's language. a.mu is held.
func (a *App) refusalsLocked(rs []issuance.RefusalText) []Refusal {
	out := []Refusal{}
	for _, r := range rs {
		out = append(out, Refusal{
			Kind: string(r.Kind), Reason: string(r.Code),
			Text: inLanguage(r.Reason, a.st.Language), NextStep: inLanguage(r.NextStep, a.st.Language),
		})
	}
	return out
}

func inLanguage(t map[string]string, lang string) string {
	if s, ok := t[lang]; ok {
		return s
	}
	return t["en"]
}

// displayName is a name as written: the given names, then the family name.
func displayName(given []string, family string) string {
	return strings.TrimSpace(strings.Join(append(slices.Clone(given), family), " "))
}

// offerIndex finds an offer of the session. a.mu is held.
func (a *App) offerIndex(id string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(id, "c"))
	if a.sess == nil || !strings.HasPrefix(id, "c") || err != nil || n < 1 || n > len(a.sess.outcome.Certificates) {
		return 0, false
	}
	return n - 1, true
}

// ShowPreview shows one certificate of the results before it is printed: its QR
// code and what it says.
func (a *App) ShowPreview(offerID string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if a.st.Screen != ScreenResults && a.st.Screen != ScreenPreview {
		return ErrBusy
	}
	i, ok := a.offerIndex(offerID)
	if !ok {
		return ErrUnknown
	}
	c := a.sess.outcome.Certificates[i]
	png, err := qrcode.Encode(c.HC1, qrcode.High, 360)
	if err != nil {
		return ErrInternal
	}
	o := a.st.Offers[i]
	hc := c.Payload
	a.st.Preview = &Preview{
		OfferID:    offerID,
		QR:         "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
		Name:       strings.TrimSpace(hc.Name.GivenName + " " + hc.Name.FamilyName),
		BirthDate:  hc.DateOfBirth,
		Kind:       o.Kind,
		Dose:       o.Dose,
		Doses:      o.Doses,
		Date:       o.Date,
		ValidUntil: o.ValidUntil,
		UVCI:       c.UVCI,
		Issuer:     a.svc.profile.Issuer,
		Specimen:   a.svc.issuer.Test,
	}
	a.st.Screen = ScreenPreview
	a.commitLocked()
	return nil
}

// ClosePreview goes back from the preview to the results.
func (a *App) ClosePreview() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if a.st.Screen == ScreenPreview {
		a.st.Preview = nil
		a.st.Screen = ScreenResults
		a.commitLocked()
	}
}

// PrintCertificates prints the offers named (all of them when none is named): they
// go into the durable queue as print jobs, and the printing screen follows them.
func (a *App) PrintCertificates(offerIDs []string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if a.st.Screen != ScreenResults && a.st.Screen != ScreenPreview {
		return ErrBusy
	}
	s := a.sess
	if len(offerIDs) == 0 {
		for _, o := range a.st.Offers {
			offerIDs = append(offerIDs, o.ID)
		}
	}
	var chosen []issuance.Certificate
	for _, id := range offerIDs {
		i, ok := a.offerIndex(id)
		if !ok {
			return ErrUnknown
		}
		chosen = append(chosen, s.outcome.Certificates[i])
	}
	if len(chosen) == 0 {
		return ErrNothingToPrint
	}
	s.printed++
	err := a.enqueueLocked("-p"+strconv.Itoa(s.printed), issuance.Outcome{Certificates: chosen})
	if err != nil {
		return err
	}
	actor := a.actorLocked()
	for _, c := range chosen {
		a.recordLocked(audit.Event{Actor: actor, Action: audit.ActionIssued, Person: audit.Identifier(s.person.Identifier),
			Details: map[string]string{audit.DetailUVCI: c.UVCI, audit.DetailKind: string(c.Kind)}})
	}
	return nil
}

// PrintRefusalSlip prints the slip that explains the session's refusals.
func (a *App) PrintRefusalSlip() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	switch a.st.Screen {
	case ScreenResults, ScreenPreview, ScreenPrinting, ScreenDone:
	default:
		return ErrBusy
	}
	s := a.sess
	if s == nil || s.outcome.Slip == nil {
		return ErrNothingToPrint
	}
	return a.enqueueLocked("-s", issuance.Outcome{Refusals: s.outcome.Refusals, Slip: s.outcome.Slip})
}

// enqueueLocked records documents of the session in the queue and shows them
// printing. a.mu is held; the write is quick (one sqlite transaction).
func (a *App) enqueueLocked(suffix string, out issuance.Outcome) error {
	s := a.sess
	iss, err := a.svc.issuers.Service(a.svc.profile.Code)
	if err != nil {
		return ErrInternal
	}
	_, jobs, err := a.svc.queue.AddIssued(context.Background(), queue.Issued{
		Key: s.key + suffix, Profile: a.svc.profile.Code, Subject: s.person.Identifier,
		Service: iss, Record: s.record, At: s.issuedAt, Outcome: out,
	})
	if err != nil {
		a.log.Error("kiosk: queueing the documents failed", "err", err)
		return ErrInternal
	}
	for _, j := range jobs {
		if !slices.ContainsFunc(s.jobs, func(x sessionJob) bool { return x.id == j.ID }) {
			s.jobs = append(s.jobs, sessionJob{id: j.ID, what: string(j.Document)})
		}
	}
	a.st.Preview = nil
	a.st.Screen = ScreenPrinting
	a.st.Print = a.printViewLocked(nil)
	a.commitLocked()
	return nil
}

// OpenClaim shows the claim screen: a claim code and a date of birth.
func (a *App) OpenClaim() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	switch a.st.Screen {
	case ScreenAttract, ScreenLanguage, ScreenIdentify:
		a.st.Screen = ScreenClaim
		a.commitLocked()
	}
}

// Claim releases the certificates held under a claim code for the person born on
// birthDate (YYYY-MM-DD), and prints them.
func (a *App) Claim(code, birthDate string) error {
	if a.svc == nil {
		return ErrNotReady
	}
	a.mu.Lock()
	a.touchLocked()
	if a.st.Screen != ScreenClaim {
		a.mu.Unlock()
		return ErrBusy
	}
	a.mu.Unlock()
	ctx := context.Background()
	q := a.svc.queue
	n, err := q.ReleaseClaim(ctx, code, birthDate)
	switch {
	case errors.Is(err, queue.ErrBadClaimCode):
		return ErrBadClaimCode
	case errors.Is(err, queue.ErrClaimLocked):
		return ErrClaimLocked
	case errors.Is(err, queue.ErrClaimMismatch):
		return ErrClaimMismatch
	case errors.Is(err, queue.ErrNotReady):
		return ErrNotYet
	case err != nil:
		return ErrInternal
	case n == 0:
		return ErrNothingHeld
	}
	req, err := q.ClaimRequest(ctx, code)
	if err != nil {
		return ErrInternal
	}
	a.mu.Lock()
	s := a.newSessionLocked()
	gen := a.gen
	actor := a.actorLocked()
	a.mu.Unlock()
	_ = s
	a.record(audit.Event{Actor: actor, Action: audit.ActionReleased, Details: map[string]string{audit.DetailJob: strconv.FormatInt(req.ID, 10)}})
	a.printRequest(ctx, gen, req.ID, released)
	return nil
}

// verify shows whether a scanned certificate verifies: red when its signature,
// structure or validity period fail with the kiosk's issuer certificate, orange
// when it is a valid certificate that the profile's rules do not accept now, green
// otherwise.
func (a *App) verify(hc1 string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.touchLocked()
	if err := a.canVerifyLocked(); err != nil {
		return err
	}
	now := a.clock.Now()
	res := dcc.NewVerifier(a.svc.issuer.Certificate).Verify(hc1, now)
	v := VerifyView{Colour: "green", Reason: "valid"}
	switch {
	case !res.Valid:
		v.Colour, v.Reason = "red", res.Reason
	default:
		failures, err := a.svc.profile.CheckValidity(res.Payload, now)
		if err != nil {
			v.Colour, v.Reason = "red", "payload"
		} else if len(failures) > 0 {
			v.Colour, v.Reason = "orange", failures[0].Reason
		}
	}
	if res.Claims != nil {
		hc := res.Claims.Certificate
		v.Kind = string(hc.Kind())
		v.Name = strings.TrimSpace(hc.Name.GivenName + " " + hc.Name.FamilyName)
		v.BirthDate = hc.DateOfBirth
	}
	a.dropSessionLocked()
	a.st.Verify = &v
	a.st.Screen = ScreenVerify
	a.commitLocked()
	return nil
}
