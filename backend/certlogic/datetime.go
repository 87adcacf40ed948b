package certlogic

// datetime.go: date-times — parsing the formats CertLogic allows, plusTime's
// offsetting and dccDateOfBirth's reading of partial dates.

import (
	"time"
)

// A date-time value is a time.Time in UTC with whole milliseconds: only plusTime and
// dccDateOfBirth make them (CertLogic 1.3.3, "Dates and date-times").

// timeUnit is the unit of a plusTime offset.
type timeUnit uint8

const (
	unitYear timeUnit = iota
	unitMonth
	unitDay
	unitHour
)

func parseTimeUnit(s string) (timeUnit, bool) {
	switch s {
	case "year":
		return unitYear, true
	case "month":
		return unitMonth, true
	case "day":
		return unitDay, true
	case "hour":
		return unitHour, true
	}
	return 0, false
}

// maxTimeMillis bounds date-times, in milliseconds either side of 1970-01-01T00:00Z:
// the range of ECMAScript's Date (ECMA-262, "Time Values and Time Range"), whose
// setUTC… methods the specification uses to define plusTime.
const maxTimeMillis = 8_640_000_000_000_000

// maxAmount is, per unit, an amount beyond which any date-time CertLogic can parse
// (years 0000 to 9999) leaves that range. Refusing it first keeps the arithmetic
// below from overflowing.
func maxAmount(u timeUnit) float64 {
	switch u {
	case unitYear:
		return 300_000
	case unitMonth:
		return 3_600_000
	case unitDay:
		return 110_000_000
	}
	return 2_640_000_000
}

// plusTime offsets t, as CertLogic 1.3.3, "Offset date-time (plusTime)" says: the
// amount is added to the UTC year, month, day or hour and the result normalised, as
// JavaScript's setUTCFullYear, setUTCMonth, setUTCDate and setUTCHours do, which is
// what time.AddDate does in UTC. So 2020-02-29 plus one year is 2021-03-01, and
// 2021-01-31 plus one month is 2021-03-03. Working in UTC keeps daylight saving out.
func plusTime(t time.Time, amount float64, u timeUnit) (time.Time, bool) {
	if amount < -maxAmount(u) || amount > maxAmount(u) {
		return time.Time{}, false
	}
	n := int(amount)
	switch u {
	case unitYear:
		t = t.AddDate(n, 0, 0)
	case unitMonth:
		t = t.AddDate(0, n, 0)
	case unitDay:
		t = t.AddDate(0, 0, n)
	case unitHour:
		// Whole days first: a time.Duration holds only 292 years.
		t = t.AddDate(0, 0, n/24).Add(time.Duration(n%24) * time.Hour)
	}
	if ms := t.UnixMilli(); ms < -maxTimeMillis || ms > maxTimeMillis {
		return time.Time{}, false
	}
	return t, true
}

// parseDateTime reads a date(-time) in one of the formats of CertLogic 1.3.3,
// "Offset date-time (plusTime)":
//
//	YYYY, YYYY-MM                       partial dates, read as dccDateOfBirth reads them
//	YYYY-MM-DD                          midnight UTC
//	YYYY-MM-DDThh:mm:ss[.S…][offset]    offset Z, ±h, ±hh, ±hmm, ±hhmm, ±h:mm or ±hh:mm;
//	                                    none means Z; decimals beyond the 3rd are dropped
func parseDateTime(s string) (time.Time, bool) {
	if len(s) <= len("YYYY-MM-DD") {
		return parseDateOfBirth(s)
	}
	if len(s) < len("YYYY-MM-DDThh:mm:ss") || s[10] != 'T' {
		return time.Time{}, false
	}
	year, month, day, ok := parseDate(s[:10])
	if !ok {
		return time.Time{}, false
	}
	hour, okH := twoDigits(s[11:13])
	minute, okM := twoDigits(s[14:16])
	second, okS := twoDigits(s[17:19])
	if !okH || !okM || !okS || s[13] != ':' || s[16] != ':' || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	rest := s[19:]
	millis := 0
	if rest != "" && rest[0] == '.' {
		i := 1
		for i < len(rest) && isDigit(rest[i]) {
			if i <= 3 {
				millis = millis*10 + int(rest[i]-'0')
			}
			i++
		}
		if i == 1 {
			return time.Time{}, false
		}
		for range 4 - min(i, 4) {
			millis *= 10 // ".5" is 500 ms
		}
		rest = rest[i:]
	}
	offset, ok := parseOffset(rest)
	if !ok {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, millis*int(time.Millisecond), time.UTC)
	return t.Add(-offset), true
}

// parseOffset reads a timezone offset: "" or "Z" (UTC), or a sign followed by h, hh,
// hmm, hhmm, h:mm or hh:mm.
func parseOffset(s string) (time.Duration, bool) {
	if s == "" || s == "Z" {
		return 0, true
	}
	if s[0] != '+' && s[0] != '-' {
		return 0, false
	}
	body, h, m := s[1:], "", "00"
	switch {
	case len(body) >= 3 && body[len(body)-3] == ':':
		h, m = body[:len(body)-3], body[len(body)-2:]
	case len(body) <= 2:
		h = body
	case len(body) <= 4:
		h, m = body[:len(body)-2], body[len(body)-2:]
	default:
		return 0, false
	}
	if len(h) == 0 || len(h) > 2 || len(m) != 2 {
		return 0, false
	}
	hours, okH := digitsValue(h)
	minutes, okM := digitsValue(m)
	if !okH || !okM || hours > 23 || minutes > 59 {
		return 0, false
	}
	d := time.Duration(hours)*time.Hour + time.Duration(minutes)*time.Minute
	if s[0] == '-' {
		d = -d
	}
	return d, true
}

// parseDateOfBirth reads a date of birth as CertLogic 1.3.3, "DCC Date of birth
// (dccDateOfBirth)" says, taking the last day the data allows: YYYY is YYYY-12-31,
// YYYY-MM the last day of that month, YYYY-MM-DD itself; all at midnight UTC.
func parseDateOfBirth(s string) (time.Time, bool) {
	switch len(s) {
	case len("YYYY"):
		year, ok := digitsValue(s)
		if !ok {
			return time.Time{}, false
		}
		return time.Date(year, time.December, 31, 0, 0, 0, 0, time.UTC), true
	case len("YYYY-MM"):
		year, okY := digitsValue(s[:4])
		month, okM := twoDigits(s[5:])
		if !okY || !okM || s[4] != '-' || month < 1 || month > 12 {
			return time.Time{}, false
		}
		// Day 0 of the next month is the last day of this one.
		return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC), true
	case len("YYYY-MM-DD"):
		year, month, day, ok := parseDate(s)
		if !ok {
			return time.Time{}, false
		}
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// parseDate reads YYYY-MM-DD, refusing days the month does not have.
func parseDate(s string) (year, month, day int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	year, okY := digitsValue(s[:4])
	month, okM := twoDigits(s[5:7])
	day, okD := twoDigits(s[8:10])
	if !okY || !okM || !okD || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) {
		return 0, 0, 0, false
	}
	return year, month, day, true
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func twoDigits(s string) (int, bool) {
	if len(s) != 2 {
		return 0, false
	}
	return digitsValue(s)
}

// digitsValue reads a short run of ASCII digits.
func digitsValue(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// formatDateTime writes a date-time the way JavaScript's toISOString does.
func formatDateTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
