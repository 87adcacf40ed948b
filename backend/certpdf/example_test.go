package certpdf_test

import (
	"fmt"
	"time"

	"certkiosk/backend/certpdf"
	"certkiosk/backend/dcc"
)

// A slip for a person whose vaccination course is not complete, in the Estonian
// profile's languages.
func ExampleRenderer_RenderRefusal() {
	fonts, err := certpdf.SystemFonts()
	if err != nil {
		fmt.Println(err)
		return
	}
	tallinn, err := time.LoadLocation("Europe/Tallinn")
	if err != nil {
		fmt.Println(err)
		return
	}
	r := certpdf.NewRenderer(fonts, dcc.DisplayName)
	pdf, err := r.RenderRefusal(certpdf.Refusal{
		FamilyName: "Tamm",
		GivenName:  "Mari",
		Languages:  []string{"et", "en", "ru"},
		Items: []certpdf.RefusalItem{{
			Kind: dcc.KindVaccination,
			Reason: map[string]string{
				"et": "Registris on ainult esimene kahest vaktsiinidoosist.",
				"en": "Only the first of the two vaccine doses is recorded.",
				"ru": "В регистре есть только первый из двух компонентов вакцины.",
			},
			NextStep: map[string]string{
				"et": "Tõend väljastatakse pärast teist doosi.",
				"en": "The certificate is issued after the second dose.",
				"ru": "Сертификат выдаётся после второго компонента.",
			},
		}},
		IssuedAt: time.Date(2021, 6, 1, 11, 30, 0, 0, time.UTC),
		Location: tallinn,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(pdf[:5]))
	// Output: %PDF-
}
