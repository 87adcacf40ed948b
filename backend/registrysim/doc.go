// Package registrysim is the embedded demo registry: the subset of HL7 FHIR R4 the
// kiosk's registry client and its reporter speak, served over HTTP from a seeded sqlite
// file, so that `make run` and the tests work with no network (DESIGN.md §3a, §6).
//
// One server holds two registries: the local one (the region's or the country's own)
// at /fhir and the federal one, asked for reconciliation, at /federal/fhir. Both answer
// exactly what the shared FHIR conventions describe:
//
//	GET {base}/metadata                                         CapabilityStatement
//	GET {base}/Patient?identifier={system}|{value}              searchset, total 0 or 1
//	GET {base}/Immunization?patient=Patient/{id}&_include=Immunization:performer
//	GET {base}/Observation?subject=Patient/{id}
//	GET {base}/Condition?subject=Patient/{id}
//	GET {base}/{type}/{id}                                      read
//	POST {base}/Communication                                   create a report
//	GET {base}/Communication?identifier={system}|{value}        searchset of reports
//
// The one write is the kiosk's report of the certificates it issued (report.go): a
// Communication of at most 64 KiB, with a status and an identifier, stored in one
// transaction and answered 201 with its Location. With If-None-Exist:
// identifier={system}|{value} (a conditional create) a report already stored under
// that identifier is answered 200 and nothing is written, so a report sent again after
// a crash is stored once. Reports are kept when the seed is rebuilt.
//
// Searches page with _count (default 20, at least 1 to page, at most 100); a page that
// is not the last links the next one with an absolute URL built from the request's
// Host. A bad request is answered 400, an unknown resource 404, each with an
// OperationOutcome; every FHIR answer is application/fhir+json.
//
// The records are the demo people of the conventions (People lists them), dated
// relative to the moment the registry is opened, so the demo tells the same story on
// any day. The seed is data, in people.go and places.go.
//
// Each registry has fault switches for tests of the client (Faults): added latency, an
// HTTP error status, dropped or reset connections, and bodies that are not JSON. Tests
// in this process call SetFaults; tests that run `certkiosk registry-sim` as a child
// process use the admin endpoint:
//
//	curl -X POST 'http://127.0.0.1:PORT/admin/faults?registry=local' -d '{"status":503,"times":2}'
//	curl http://127.0.0.1:PORT/admin/faults
//
// Files: people.go and places.go, the seed; seed.go, the seed as FHIR resources;
// resources.go, their JSON shapes; store.go, the sqlite file (the only file that speaks
// SQL); fhir.go, the FHIR endpoints; report.go, the reports; faults.go, the fault
// switches; serve.go, serving on a listener and the in-process starter.
//
// A registry for a test, or for the kiosk when no registry is configured:
//
//	run, err := registrysim.Start(ctx, registrysim.Path(dataDir), time.Now())
//	if err != nil {
//		return err
//	}
//	defer run.Close()
//	// run.LocalURL and run.FederalURL are the FHIR bases.
package registrysim
