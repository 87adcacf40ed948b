// Package rules answers a resident's question "what certificate can I get, and if
// none, why and what now?" under a jurisdiction's rules. A jurisdiction is a Profile,
// and a profile is data: profiles/*.json, embedded in the binary, or a file the
// kiosk's configuration names (LoadFile, LoadFrom).
//
//	p, err := rules.Load("EE")
//	if p.NeedsFederal(local) {
//		rec = rules.MergeFederal(local, federal) // the caller asks the federal registry
//	}
//	d, err := p.Decide(rec, now)
//	for _, e := range d.Certificates { hc, err := p.Payload(rec, e, name, uvci); … }
//	for _, r := range d.Refusals { ex, _ := p.Explain(r.Reason); … }
//
// # The profile file
//
// A profile file is one JSON object; unknown keys are errors, and every error names
// the key at fault. Lengths of time are ISO 8601 durations (P14D, P6M, P1Y, PT72H);
// windows counted in days run from midnight to midnight in the profile's time zone.
//
//	code, name, country          "EE", "Estonia", ISO 3166-1 alpha-2
//	languages                    printed languages, primary first (of et, en, ru, az)
//	time_zone                    IANA zone, e.g. "Europe/Tallinn"
//	identifier_systems           FHIR identifier systems residents are found by
//	issuer, uvci_issuer          the issuer as printed; its part of the UVCI
//	verify_url                   verification address with a {uvci} placeholder
//	ill_now_blocks               "recovery" or "all": what a current illness blocks
//	vaccination                  vaccines (recognised products), doses_abroad,
//	                             recovery_counts_as_dose, protection and
//	                             protection_by_product (valid from, after the last dose),
//	                             lasts (valid before, after the last dose)
//	recovery                     grounds ([{diagnoses, evidence}]), counted_from
//	                             ("first-positive" or "recovery"), starts, lasts
//	tests                        naat, rapid_antigen: {lasts, notes}; absent = not counted
//	texts                        overrides of catalogue.json: {reasons: {code: {text,
//	                             next}}, notes: {code: text}}, each in et, en, ru, az
//	rules                        validity rules: [{id, kind, reason, description, logic}]
//
// # Validity rules
//
// The rules have the shape of the EU DCC business rules and are CertLogic, evaluated
// over {"payload": …, "external": {"validationClock": …, "countryCode": …}} exactly
// as the EU rules engine does (CheckValidity), so the same rules can judge a scanned
// certificate. Decide builds each candidate certificate's payload and applies them:
// a failing rule whose reason is a reason code refuses the certificate, one whose
// reason is a note code issues it with that note. The windows of the vaccination,
// recovery and tests keys say what is printed; the rules say what a verifier accepts;
// a test holds the two to agreement.
//
// # Reasons and notes
//
// Reason and Note codes are stable strings. catalogue.json holds, for each, what the
// resident is told in et, en, ru and az; Explain and NoteText return the profile's
// texts.
//
// Files: profile.go (the profile and its checks), decide.go (decisions), evidence.go
// (reading a record, the federal merge), payload.go (DCC payloads), validity.go (the
// rules), texts.go (codes and texts), span.go (durations), calendar.go (days in the
// profile's zone), vaccines.go (vaccine products).
package rules
