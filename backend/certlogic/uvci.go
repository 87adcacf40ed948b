package certlogic

// uvci.go: extractFromUVCI, the fragments of a unique certificate identifier.

import "strings"

// uvciPrefix is the optional prefix of a UCI (eHealth Network, "Guidelines on
// verifiable vaccination certificates", Annex 2).
const uvciPrefix = "URN:UVCI:"

// uvciFragment returns fragment index of uvci, as CertLogic 1.3.3, "Extract data from
// an UCI (extractFromUVCI)" says: without its optional URN:UVCI: prefix, the string
// splits at every '/', '#' and ':', empty fragments included, so "a::c/#/f" has six.
// ok is false when there is no such fragment. The UCI's grammar is not checked.
func uvciFragment(uvci string, index float64) (fragment string, ok bool) {
	if index < 0 {
		return "", false
	}
	s := strings.TrimPrefix(uvci, uvciPrefix)
	start, i := 0, 0.0
	for pos := 0; pos <= len(s); pos++ {
		if pos < len(s) && s[pos] != '/' && s[pos] != '#' && s[pos] != ':' {
			continue
		}
		if i == index {
			return s[start:pos], true
		}
		i++
		start = pos + 1
	}
	return "", false
}
