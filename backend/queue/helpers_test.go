package queue

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"certkiosk/backend/certpdf"
	"certkiosk/backend/dcc"
	"certkiosk/backend/issuance"
	"certkiosk/backend/printing"
	"certkiosk/backend/registry"
	"certkiosk/backend/registrysim"
	"certkiosk/backend/rules"
	"certkiosk/backend/signer"
)

// testStart is the moment the tests' clocks start at and the demo registry's records
// are dated from.
var testStart = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

// fakeClock is a clock whose Sleep moves time on at once.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{now: testStart} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// fixedKeys is a key store holding one key.
type fixedKeys []byte

func (k fixedKeys) QueueKey(context.Context) ([]byte, error) { return bytes.Clone(k), nil }

func testKey() fixedKeys { return fixedKeys(bytes.Repeat([]byte{7}, KeySize)) }

// openTest opens a queue in a new folder with the clock, a fixed key and a seeded
// jitter source.
func openTest(t testing.TB, clock Clock, o Options) (*Queue, string) {
	t.Helper()
	dir := t.TempDir()
	return openAt(t, dir, clock, o), dir
}

func openAt(t testing.TB, dir string, clock Clock, o Options) *Queue {
	t.Helper()
	o.Clock = clock
	if o.Keys == nil {
		o.Keys = testKey()
	}
	if o.Rand == nil {
		o.Rand = rand.New(rand.NewPCG(1, 2))
	}
	q, err := Open(context.Background(), filepath.Join(dir, FileName), o)
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

// fakePrinter is a printer in memory with a job history by key. Its state and its
// failures are set by the test.
type fakePrinter struct {
	mu        sync.Mutex
	state     printing.State
	noHistory bool
	printErr  []error // returned by the next calls to Print, one each
	// pollsToComplete is how many Job calls a job stays processing.
	pollsToComplete int
	jobs            []fakeJob
	statusCalls     int
	// statusWhilePrinting counts the Status calls made while a job was processing.
	statusWhilePrinting int
	// onPrint, when set, is called by Print once it took a document, which is
	// processing until the next Job call.
	onPrint func()
}

type fakeJob struct {
	key   string
	pdf   []byte
	polls int
	state printing.JobState
}

var _ printing.Printer = (*fakePrinter)(nil)

func newFakePrinter() *fakePrinter { return &fakePrinter{state: printing.StateReady} }

func (p *fakePrinter) URI() string { return "fake://printer" }

func (p *fakePrinter) setState(s printing.State) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state = s
}

func (p *fakePrinter) Status(ctx context.Context) (printing.Status, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.statusCalls++
	for _, j := range p.jobs {
		if j.state == printing.JobProcessing {
			p.statusWhilePrinting++
			break
		}
	}
	return printing.Status{State: p.state}, nil
}

func (p *fakePrinter) Print(ctx context.Context, doc printing.Document) (printing.JobRef, error) {
	ref, err := p.take(doc)
	if err == nil && p.onPrint != nil {
		p.onPrint()
	}
	return ref, err
}

func (p *fakePrinter) take(doc printing.Document) (printing.JobRef, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.printErr) > 0 {
		err := p.printErr[0]
		p.printErr = p.printErr[1:]
		if err != nil {
			return printing.JobRef{}, err
		}
	}
	if !(printing.Status{State: p.state}).CanPrint() {
		return printing.JobRef{}, fmt.Errorf("%w: %s", printing.ErrUnavailable, p.state)
	}
	p.jobs = append(p.jobs, fakeJob{key: doc.Key, pdf: bytes.Clone(doc.PDF), state: printing.JobProcessing})
	return printing.JobRef{ID: len(p.jobs)}, nil
}

func (p *fakePrinter) Job(ctx context.Context, ref printing.JobRef) (printing.JobStatus, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if ref.ID < 1 || ref.ID > len(p.jobs) {
		return printing.JobStatus{}, printing.ErrJobNotFound
	}
	j := &p.jobs[ref.ID-1]
	if j.state == printing.JobProcessing {
		if j.polls >= p.pollsToComplete && (printing.Status{State: p.state}).CanPrint() {
			j.state = printing.JobCompleted
		}
		j.polls++
	}
	return printing.JobStatus{State: j.state}, nil
}

func (p *fakePrinter) FindJob(ctx context.Context, key string) (printing.JobRef, printing.JobStatus, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.noHistory {
		return printing.JobRef{}, printing.JobStatus{}, false, printing.ErrNoJobHistory
	}
	for i := len(p.jobs) - 1; i >= 0; i-- {
		if p.jobs[i].key == key {
			return printing.JobRef{ID: i + 1}, printing.JobStatus{State: p.jobs[i].state}, true, nil
		}
	}
	return printing.JobRef{}, printing.JobStatus{}, false, nil
}

// printed counts the documents printed by key.
func (p *fakePrinter) printed() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for _, j := range p.jobs {
		out[j.key]++
	}
	return out
}

// pdf returns the document last printed under key.
func (p *fakePrinter) pdf(key string) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.jobs) - 1; i >= 0; i-- {
		if p.jobs[i].key == key {
			return p.jobs[i].pdf
		}
	}
	return nil
}

func (p *fakePrinter) opener() func(string) (printing.Printer, error) {
	return func(string) (printing.Printer, error) { return p, nil }
}

// testServices is the issuing pipeline with the demo key, shared by the profiles.
type testServices struct {
	mu     sync.Mutex
	dir    string
	fonts  *certpdf.Fonts
	issuer *signer.Issuer
	byCode map[string]*issuance.Service
}

func newTestServices(t testing.TB) *testServices {
	t.Helper()
	fonts, err := certpdf.SystemFonts()
	if err != nil {
		t.Fatalf("SystemFonts() = %v", err)
	}
	iss, err := signer.LoadDemo(t.TempDir(), testStart)
	if err != nil {
		t.Fatalf("LoadDemo() = %v", err)
	}
	return &testServices{fonts: fonts, issuer: iss, byCode: map[string]*issuance.Service{}}
}

func (s *testServices) Service(profile string) (*issuance.Service, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if svc, ok := s.byCode[profile]; ok {
		return svc, nil
	}
	p, err := rules.Load(profile)
	if err != nil {
		return nil, err
	}
	svc := &issuance.Service{Profile: p, Issuer: s.issuer, Renderer: certpdf.NewRenderer(s.fonts, dcc.DisplayName)}
	s.byCode[profile] = svc
	return svc, nil
}

// simRecords looks people up in the demo registry: the local one, and the federal
// one when the profile needs it, with no retries so that a fault shows at once.
type simRecords struct {
	local, federal *registry.Client
}

func startRegistry(t testing.TB) (*registrysim.Running, *simRecords) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	run, err := registrysim.Start(ctx, registrysim.Path(t.TempDir()), testStart)
	if err != nil {
		cancel()
		t.Fatalf("registrysim.Start() = %v", err)
	}
	t.Cleanup(func() { cancel(); run.Close() })
	o := registry.Options{Retries: -1, Timeout: 5 * time.Second}
	local, err := registry.NewClient(run.LocalURL, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Source = registry.SourceFederal
	federal, err := registry.NewClient(run.FederalURL, o)
	if err != nil {
		t.Fatal(err)
	}
	return run, &simRecords{local: local, federal: federal}
}

func (r *simRecords) Find(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error) {
	find := func(c *registry.Client) (*registry.Record, error) {
		rec, err := c.Find(ctx, id)
		if errors.Is(err, registry.ErrNotFound) {
			return nil, nil
		}
		return rec, err
	}
	local, err := find(r.local)
	if err != nil || !p.NeedsFederal(local) {
		return local, err
	}
	federal, err := find(r.federal)
	if err != nil {
		return nil, err
	}
	return rules.MergeFederal(local, federal), nil
}

// recordsFunc adapts a function to Records.
type recordsFunc func(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error)

func (f recordsFunc) Find(ctx context.Context, p *rules.Profile, id registry.Identifier) (*registry.Record, error) {
	return f(ctx, p, id)
}

// identifier returns a demo person's identifier as a request carries it.
func identifier(p registrysim.Person) registry.Identifier {
	return registry.Identifier{System: p.System, Value: p.Value}
}

// person returns the demo person with the identifier value.
func person(t testing.TB, value string) registrysim.Person {
	t.Helper()
	for _, p := range registrysim.People() {
		if p.Value == value {
			return p
		}
	}
	t.Fatalf("no demo person %q", value)
	return registrysim.Person{}
}

// mustAdd adds a request for the demo person.
func mustAdd(t testing.TB, q *Queue, key string, p registrysim.Person) Job {
	t.Helper()
	j, _, err := q.Add(context.Background(), Request{Key: key, Profile: p.Profile, Subject: identifier(p)})
	if err != nil {
		t.Fatalf("Add(%s) = %v", key, err)
	}
	return j
}

// jobsByKey lists the queue's jobs by key.
func jobsByKey(t testing.TB, q *Queue) map[string]Job {
	t.Helper()
	jobs, err := q.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]Job{}
	for _, j := range jobs {
		out[j.Key] = j
	}
	return out
}

// mustGet reads a job.
func mustGet(t testing.TB, q *Queue, id int64) Job {
	t.Helper()
	j, err := q.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%d) = %v", id, err)
	}
	return j
}
