package queue

import (
	"bytes"
	"context"
	"testing"
)

func TestAddIssued(t *testing.T) {
	ctx := context.Background()
	clock := newFakeClock()
	q, _ := openTest(t, clock, Options{})
	svcs := newTestServices(t)
	svc, err := svcs.Service("EE")
	if err != nil {
		t.Fatal(err)
	}
	_, records := startRegistry(t)
	p := person(t, "46003150224")
	id := identifier(p)
	rec, err := records.Find(ctx, svc.Profile, id)
	if err != nil {
		t.Fatal(err)
	}
	out, err := svc.Issue(rec, clock.Now())
	if err != nil || len(out.Certificates) != 1 {
		t.Fatalf("Issue = %d certificates, %v", len(out.Certificates), err)
	}
	is := Issued{Key: "SESSION1-p1", Profile: "EE", Subject: id, Service: svc, Record: rec, At: clock.Now(), Outcome: out}
	req, prints, err := q.AddIssued(ctx, is)
	if err != nil {
		t.Fatal(err)
	}
	if req.Kind != KindIssue || req.State != StateDone || len(prints) != 1 || prints[0].State != StatePending ||
		prints[0].Document != DocCertificate || prints[0].Parent != req.ID {
		t.Fatalf("AddIssued = %+v, %+v; want a done request with one pending certificate", req, prints)
	}
	if got, err := q.getSealed(ctx, prints[0].ID, prints[0].Key); err != nil || !bytes.Equal(got, out.Certificates[0].PDF) {
		t.Errorf("the print job's PDF = %d bytes, %v; want the certificate's", len(got), err)
	}
	again, prints2, err := q.AddIssued(ctx, is)
	if err != nil || again.ID != req.ID || len(prints2) != 1 || prints2[0].ID != prints[0].ID {
		t.Errorf("AddIssued again = %+v %+v %v, want the same jobs", again, prints2, err)
	}
	jobs := jobsByKey(t, q)
	if r, ok := jobs["SESSION1-p1-report"]; !ok || r.Kind != KindReport {
		t.Errorf("no report job for the certificate: %v", jobs)
	}
	reqs, err := q.SubjectRequests(ctx, id)
	if err != nil || len(reqs) != 1 || reqs[0].ID != req.ID {
		t.Errorf("SubjectRequests = %+v %v, want the request", reqs, err)
	}
	if code, err := q.ClaimCode(ctx, req.ID); err != nil || code != "" {
		t.Errorf("ClaimCode of a request issued at once = %q %v, want none", code, err)
	}
	if _, err := q.ClaimRequest(ctx, "2345-6789"); err != ErrNotFound {
		t.Errorf("ClaimRequest of an unknown code = %v, want %v", err, ErrNotFound)
	}

	doc, err := q.AddPrint(ctx, "STATEMENT1", "RU-KAM", "", DocStatement, []byte("%PDF-1.7"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Kind != KindPrint || doc.State != StatePending || doc.Parent != 0 || doc.Document != DocStatement {
		t.Errorf("AddPrint = %+v, want a pending statement on its own", doc)
	}
	if again, err := q.AddPrint(ctx, "STATEMENT1", "RU-KAM", "", DocStatement, []byte("%PDF-1.7")); err != nil || again.ID != doc.ID {
		t.Errorf("AddPrint again = %+v %v, want job %d", again, err, doc.ID)
	}
}
