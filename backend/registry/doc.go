// Package registry reads a person's COVID-19 records from the health registry (HL7
// FHIR R4) and holds them in the small typed model the rest of the kiosk uses.
//
// A Client asks one registry over HTTPS: Find searches the Patient by a national
// identifier, then the person's Immunization, Observation and Condition resources, and
// returns a Record; Ping checks that the base URL answers as a FHIR R4 server. A record
// can also be read from a Bundle file with ParseBundle; both go through the same parser,
// so a resource is accepted or refused the same way whichever way it arrives.
//
// Errors tell the caller what to do next: ErrNotFound (the registry has no such person:
// a refusal, or a question for the federal registry), ErrUnreachable (try again later:
// the request waits in the queue) and ErrBadResponse, matched by *BadResponseError (the
// registry answered something the kiosk cannot use: a matter for an administrator).
//
// Files:
//
//	record.go      the record model
//	bundle.go      reading a FHIR Bundle, or the entries of searches, into a Record
//	client.go      the client of one registry: transport, TLS trust, redirect policy
//	options.go     the client's settings and their defaults
//	errors.go      ErrNotFound, ErrUnreachable, ErrBadResponse and BadResponseError
//	fetch.go       one GET: retries, status codes, content type, size limit
//	backoff.go     the wait between attempts: exponential backoff with full jitter
//	search.go      a FHIR search, page by page along the next links
//	find.go        Find: the four searches that make up a person's record
//	identifier.go  identifier values as the registry stores them
//	ping.go        Ping: GET metadata
//	origin.go      comparing URLs by origin and showing them without identifiers
package registry
