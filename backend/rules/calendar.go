package rules

// calendar.go: registry times as days and moments of the profile's time zone.

import "time"

// dateOnly reports whether a registry time came from a FHIR date without a time:
// registry.ParseBundle gives those as midnight UTC.
func dateOnly(t time.Time) bool {
	return t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// dayOf returns the calendar day of a registry time, as midnight in the profile's
// zone. A FHIR date is that date on the profile's calendar, not the day midnight UTC
// falls on; a date-time is the day it falls on in the profile's zone.
func (p *Profile) dayOf(t time.Time) time.Time {
	if !dateOnly(t) {
		t = t.In(p.location)
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, p.location)
}

// moment returns when a registry time happened: a FHIR date counts from the start of
// that day in the profile's zone, a date-time is the instant it names.
func (p *Profile) moment(t time.Time) time.Time {
	if dateOnly(t) {
		return p.dayOf(t)
	}
	return t
}

// date formats the calendar day of a registry time as a DCC date (YYYY-MM-DD).
func (p *Profile) date(t time.Time) string { return p.dayOf(t).Format(time.DateOnly) }
