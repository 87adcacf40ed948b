// Package certpdf lays out an EU Digital COVID Certificate as a one-page A4 PDF for
// printing, and the slip printed when none can be issued. A certificate carries a
// title and every label in each of the profile's languages, the holder's name as
// written and transliterated, the entry's fields with value-set display names, and
// two QR codes: a large one carrying the signed HC1 string and a small one with the
// verification site's address.
//
// The same Certificate or Refusal always gives the same bytes: the PDF dates come
// from its IssuedAt, resources are written in sorted order, and QR modules are drawn
// as vector rectangles from the QR bitmap. Every string is checked against the
// font's character map before anything is drawn, so a name the font cannot show is
// an error (*MissingGlyphError) rather than a blank or a box on paper.
//
// A typical use:
//
//	fonts, err := certpdf.SystemFonts()
//	if err != nil {
//		return err // names the Debian package to install
//	}
//	r := certpdf.NewRenderer(fonts, dcc.DisplayName)
//	pdf, err := r.Render(certpdf.Certificate{
//		Payload:   hc,
//		HC1:       hc1,
//		IssuedAt:  now,
//		Location:  tallinn,
//		Languages: []string{"et", "en", "ru"},
//		VerifyURL: "https://dcc.example.ee/verify",
//	})
//
// When no certificate can be issued, RenderRefusal prints a one-page slip instead:
// a title in each language, the person's name (and no other personal data), and
// for each certificate refused, why and what the person can do, in every profile
// language with the primary largest. The texts come from the jurisdiction's rules;
// a text missing in a profile language is a *MissingTextError, so no reader is
// left without an explanation:
//
//	slip, err := r.RenderRefusal(certpdf.Refusal{
//		FamilyName: "Tamm",
//		GivenName:  "Mari",
//		Languages:  []string{"et", "en", "ru"},
//		Items: []certpdf.RefusalItem{{
//			Kind:     dcc.KindVaccination,
//			Reason:   reason,   // map[string]string: language → text
//			NextStep: nextStep, // likewise
//		}},
//		IssuedAt: now,
//		Location: tallinn,
//	})
package certpdf
