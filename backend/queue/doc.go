// Package queue is the kiosk's durable outbox on sqlite: requests accepted from
// residents, the certificates and slips waiting to be printed, and the reports to the
// registry of which certificates were issued (DESIGN.md §4, §5). A request that was
// accepted is never forgotten, and a crash at any moment prints nothing twice.
//
// Every job has an idempotency key and a state:
//
//	pending ──claim──▶ running ──▶ done
//	   ▲                  │  ├────▶ parked    (failed MaxFailures times, or needs staff)
//	   └──── retry ───────┘  └────▶ pending   (wait: backoff, printer busy, registry down)
//	held ──release──▶ pending          pending, held, parked ──cancel──▶ cancelled
//	parked ──retry──▶ pending          running, lease expired or owner dead ──claim──▶ running
//	done print job ──reprint──▶ a new print job, pending, its CopyOf the original
//
// Three kinds of job run through it: issue (look the person up, decide, sign, render,
// via package issuance), print (send one PDF to a printer and follow it to the end)
// and report (tell the registry which certificate identifiers were issued, or ship it
// one entry of the audit log: ShipAudit queues each entry once, keyed by its hash,
// and the registry stores it once as a FHIR AuditEvent). An issue
// job that completes inserts its print jobs and its report job in the same transaction
// that marks it done; a print job records that it is submitting before it calls the
// printer and the printer's job id after, so that after a crash FindJob decides
// whether the document is already on the printer.
//
// When the registry cannot be reached the request waits, retried with backoff, and a
// receipt with a claim code (and no personal data) is printed. The certificates of
// such a request are held until the resident comes back: by identifying again
// (ReleaseSubject), with the claim code and date of birth (ReleaseClaim), or through
// staff (Release).
//
// Staff can have a certificate or a refusal slip printed again (Reprint, ReprintUVCI)
// within Options.ReprintWindow (default 24 h) after it printed: the copy is rendered
// afresh, with the COPY mark, from the inputs kept for it, and printed as a new print
// job keyed <original's key>-copy-N. Those inputs are deleted once the window has
// passed, and a reprint is then refused (ErrReprintExpired).
//
// While Worker.Run runs, each printer it prints on is polled when no job prints there
// (printing.Watcher), and each change of its state is recorded in the queue, on the
// print jobs waiting for it too: "out of paper" shows (Queue.PrinterStatus) before a
// resident waits for it.
//
// Personal data (the identifier, the date of birth, the rendered PDFs, the records
// reported, what renders a document again) is sealed with AES-256-GCM (package seal)
// under a key from a KeyStore, the job's key as associated data; the identifier is
// kept besides only as an HMAC-SHA256, to find the same person again, and a
// certificate's UVCI likewise. Jobs are deleted, rows and sealed data, once they are
// done and Options.Retention has passed; held, parked and offline requests nobody
// comes back for are cancelled after Options.WaitLimit; their keys are remembered a
// while longer, so that a request repeated under the same key is not carried out
// twice.
//
// Files: store.go opens the file and is the only one with the schema; jobs.go adds,
// lists and changes jobs for staff; lease.go claims jobs and fences every write of a
// running job by its lease; keys.go is the queue's key, seal.go what each sealed
// value is bound to; claim.go the claim codes and releases; reprint.go the copies;
// worker.go, issuejob.go, printjob.go and reportjob.go run jobs; auditship.go ships
// the audit log; waitlimit.go ends what waits too long; printers.go polls the
// printers while no job prints.
//
// A kiosk opens the queue and runs a worker beside its window:
//
//	// The key apart from the data folder: config.Config.QueueKeyPath.
//	q, err := queue.Open(ctx, queue.Path(dataDir), queue.Options{Keys: queue.FileKeyStore{Path: keyPath}, WaitLimit: 30 * 24 * time.Hour})
//	if err != nil {
//		return err
//	}
//	defer q.Close()
//	job, _, err := q.Add(ctx, queue.Request{Profile: "EE", Subject: id})
//	// job is durable here: the resident may be told it was accepted.
//	w := &queue.Worker{
//		Queue:    q,
//		Services: services, // issuance.Service by profile
//		Records:  records,  // the registries
//		Printers: func(uri string) (printing.Printer, error) { return printing.Open(uri, printing.Options{}) },
//		Printer:  uri,
//		Reporter: &queue.FHIRReporter{BaseURL: registryURL, Site: kioskID},
//		Audit:    auditLog, // *audit.Log, or audit.Dir(dataDir) in another process
//	}
//	err = w.Run(ctx)
package queue
