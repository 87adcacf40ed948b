// Package commission is the antibody commission of the RU-KAM profile (Kamchatka
// Krai): the paid service in which a commission certifies the presence or absence
// of SARS-CoV-2 antibodies from a laboratory's result (DESIGN.md §1, §2), and the
// register of the certificates it issued.
//
//	svc, err := commission.Open(ctx, dataDir, commission.Options{
//		Issuer: issuer, Renderer: renderer, Recorder: auditLog,
//	})
//	if err != nil {
//		return err
//	}
//	defer svc.Close()
//	clerk := commission.ActorOf(session) // the staff session taking the step
//	c, err := svc.Apply(ctx, clerk, commission.Application{System: "snils",
//		Identifier: "112-233-445 95", Name: "Петрова Анна Сергеевна", BirthDate: "1957-09-02"})
//	statement, err := svc.PrintStatement(ctx, clerk, c.ID) // PDF, signed by the applicant
//	_, err = svc.RecordPayment(ctx, clerk, c.ID, "000123", 150000, "RUB")
//	_, err = svc.EnterResult(ctx, clerk, c.ID, commission.LabResult{Test: "94762-2", …})
//	_, err = svc.Decide(ctx, member1, c.ID, commission.DecisionPresent)
//	_, err = svc.Approve(ctx, member1, c.ID)
//	_, err = svc.Approve(ctx, member2, c.ID)
//	issued, err := svc.Issue(ctx, clerk, c.ID) // issued.PDF to print, issued.UVCI
//
// # The workflow
//
// One case per applicant at a time. Each step is taken only at the stage before
// it, and any other order is a *StageError (ErrOutOfOrder) naming both stages:
//
//	applied ─payment─▶ paid ─lab result─▶ result ─decision─▶ decided ─2 approvals─▶ approved ─issue─▶ issued
//
// The decision is approved by two different commission members; the member who
// decided may be one of them, and a second approval by the same member is
// ErrSameMember. Roles are checked here, on every step, whatever the UI shows: the
// clerk applies, records the payment, enters the result, prints the statement and
// issues the certificate; commission members decide and approve; both read the
// register. The actor is passed to each step (Actor: staff id and roles).
//
// Errors carry stable codes for the UI (Code): forbidden, not-found, out-of-order,
// same-member, open-case, invalid-identifier, invalid, result-too-old, audit-failed.
//
// # Storage
//
// The register is the sqlite file commission.sqlite in the data folder, in WAL mode
// with synchronous=FULL; every step is one transaction, so a step that returned is
// on disk and a crash loses none. The applicant's name, identifier and date of birth,
// the lab result and the signed certificate are sealed with AES-256-GCM (package
// seal, as the queue's are) under a key in commission.key (32 random bytes, mode
// 0600, outside the database), bound to their case and column; the identifier is
// also kept as an HMAC-SHA256 under a key derived from the same one, to find an
// applicant's cases. Nothing personal is in the file in clear: the stage, the
// receipt, the decision, staff ids, times and the UVCI are.
//
// # The register and its retention
//
// Search reads the register: by case id, by UVCI, by a part of the name (matched
// after unsealing, as nothing else can match it), by the applicant's identifier, by
// stage, and by date of issue. The register is the office's record of the
// certificates it issued, not a queue: unlike the kiosk's outbox, cases are not
// deleted when done. How long it is kept is the office's decision under its own
// records schedule; the kiosk deletes nothing, and the office removes the file (or
// destroys commission.key, which makes every sealed value unreadable) when its
// retention ends.
//
// # The certificate, and why an EU verifier does not accept it
//
// The certificate is printed in Russian and English with the decision, the test
// and its value, the laboratory, the members who decided and approved, and the mark
// "Valid only in Kamchatka Krai (RU-KAM); not an EU Digital COVID Certificate". Its
// QR code holds an HC1 in the DCC container, signed by the kiosk's issuer, whose
// payload has one test entry (t) with test type tt = 94504-8 (the LOINC code of
// SARS-CoV-2 antibodies) and test result detected (260373001) or not detected
// (260415000), as Switzerland's national antibody certificate did. The code keeps
// the certificate national-only: 94504-8 is not in the EU test-type value set
// (covid-19-lab-test-type holds only LP6464-4 and LP217198-3), so a verifier that
// checks the entry against the EU value sets — as the EU's acceptance rules for test
// certificates do — rejects it, while a national verifier that knows the code reads
// it. The
// signature and the payload schema stay valid (the schema does not restrict tt).
// CWT iss and co are RU; exp is the end of the certificate's validity (six months
// from the sample by default).
//
// # Audit
//
// With a Recorder, the application is recorded as identified and the certificate as
// issued (with its UVCI), both with kind antibody and the applicant's identifier as
// the entry's keyed subject. The audit log has no actions yet for a payment, a lab
// result, a decision or an approval; those steps are kept, with who and when, in
// the register itself.
package commission
