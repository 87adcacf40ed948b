package certpdf

// Refusal fixtures: reasons and next steps of the kind the rules give (DESIGN §2,
// the Moscow table), and the slips the golden files hold.

import (
	"maps"
	"testing"
	"time"

	"certkiosk/backend/dcc"
)

// testReasons are refusal texts by case, each with a reason and a next step by
// language. Some cases lack languages their profiles do not use.
func testReasons() map[string]RefusalItem {
	return map[string]RefusalItem{
		"first dose only": {
			Kind: dcc.KindVaccination,
			Reason: map[string]string{
				"et": "Registris on ainult esimene kahest vaktsiinidoosist.",
				"en": "Only the first of the two vaccine doses is recorded.",
				"ru": "В регистре есть только первый из двух компонентов вакцины.",
				"az": "Reyestrdə iki peyvənd dozasından yalnız birincisi qeydə alınıb.",
			},
			NextStep: map[string]string{
				"et": "Tõend väljastatakse pärast teist doosi. Seni saate negatiivse PCR-testiga testimistõendi.",
				"en": "The certificate is issued after the second dose. Until then, a negative PCR test gives you a test certificate.",
				"ru": "Сертификат выдаётся после второго компонента. До этого отрицательный ПЦР-тест даёт сертификат о тестировании.",
				"az": "Sertifikat ikinci dozadan sonra verilir. O vaxta qədər mənfi PCR testi ilə test sertifikatı ala bilərsiniz.",
			},
		},
		"recovered too long ago": {
			Kind: dcc.KindRecovery,
			Reason: map[string]string{
				"et": "Läbipõdemisest on möödunud üle 6 kuu.",
				"en": "You recovered more than 6 months ago.",
				"ru": "С момента выздоровления прошло более 6 месяцев.",
				"az": "Sağalmağınızdan 6 aydan çox vaxt keçib.",
			},
			NextStep: map[string]string{
				"et": "Laske end vaktsineerida või tehke PCR-test.",
				"en": "Get vaccinated, or take a PCR test.",
				"ru": "Пройдите вакцинацию или сдайте ПЦР-тест.",
				"az": "Peyvənd olun və ya PCR testi verin.",
			},
		},
		"vaccine not registered": {
			Kind: dcc.KindVaccination,
			Reason: map[string]string{
				"et": "Teile manustatud vaktsiin ei ole selles riigis registreeritud.",
				"en": "The vaccine you received is not registered in this country.",
				"ru": "Полученная вами вакцина не зарегистрирована в этой стране.",
				"az": "Vurulduğunuz peyvənd bu ölkədə qeydiyyatdan keçməyib.",
			},
			NextStep: map[string]string{
				"et": "Negatiivse PCR-testiga saate testimistõendi.",
				"en": "A negative PCR test gives you a test certificate.",
				"ru": "Отрицательный ПЦР-тест даёт сертификат о тестировании.",
				"az": "Mənfi PCR testi ilə test sertifikatı ala bilərsiniz.",
			},
		},
		"vaccinated in another region": {
			Kind: dcc.KindVaccination,
			Reason: map[string]string{
				"ru": "Вы вакцинированы в другом регионе, и запись ещё не поступила в городской регистр.",
				"en": "You were vaccinated in another region, and the record has not reached the city registry yet.",
			},
			NextStep: map[string]string{
				"ru": "Данные сверяются с федеральным регистром. Попросите учреждение, где вас вакцинировали, проверить запись в федеральном регистре.",
				"en": "The data is being reconciled with the federal register. Ask the facility where you were vaccinated to check your entry there.",
			},
		},
		"no recent test": {
			Kind: dcc.KindTest,
			Reason: map[string]string{
				"ru": "Нет отрицательного результата теста за последние 72 часа.",
				"en": "There is no negative test result from the last 72 hours.",
			},
			NextStep: map[string]string{
				"ru": "Сдайте ПЦР-тест. Сертификат можно будет получить, когда лаборатория передаст результат в регистр.",
				"en": "Take a PCR test. The certificate can be printed once the laboratory has reported the result to the registry.",
			},
		},
		"illness not confirmed": {
			Kind: dcc.KindRecovery,
			Reason: map[string]string{
				"ru": "Заболевание не подтверждено официально: нет записи об обращении к врачу или о положительном ПЦР-тесте.",
				"en": "The illness was not officially confirmed: no doctor's visit and no positive PCR test are recorded.",
			},
			NextStep: map[string]string{
				"ru": "Пройдите вакцинацию или сдайте ПЦР-тест.",
				"en": "Get vaccinated, or take a PCR test.",
			},
		},
	}
}

// reasons returns the named cases, each with its own copy of the text maps, so
// that a test can change them freely.
func reasons(t testing.TB, names ...string) []RefusalItem {
	t.Helper()
	all := testReasons()
	out := make([]RefusalItem, 0, len(names))
	for _, n := range names {
		it, ok := all[n]
		if !ok {
			t.Fatalf("no refusal case %q", n)
		}
		it.Reason, it.NextStep = maps.Clone(it.Reason), maps.Clone(it.NextStep)
		out = append(out, it)
	}
	return out
}

// refusalCases are the slips the golden files hold.
func refusalCases(t testing.TB) []struct {
	name string
	slip Refusal
} {
	issued := time.Date(2021, 6, 1, 11, 30, 0, 0, time.UTC)
	return []struct {
		name string
		slip Refusal
	}{
		{"refusal-ee", Refusal{
			FamilyName: "Tõnisson-Šmidt",
			GivenName:  "Jüri Ülo",
			Languages:  []string{"et", "en", "ru"},
			Items:      reasons(t, "first dose only", "recovered too long ago"),
			IssuedAt:   issued,
			Location:   mustLocation(t, "Europe/Tallinn"),
		}},
		{"refusal-ru-mow", Refusal{
			FamilyName: "Иванова",
			GivenName:  "Мария Петровна",
			Languages:  []string{"ru", "en"},
			Items:      reasons(t, "vaccinated in another region", "no recent test", "illness not confirmed"),
			IssuedAt:   issued,
			Location:   mustLocation(t, "Europe/Moscow"),
		}},
		{"refusal-az-specimen", Refusal{
			FamilyName: "Hüseynova-Əliyeva",
			GivenName:  "Gülnarə Şəhla",
			Languages:  []string{"az", "ru", "en"},
			Items:      reasons(t, "vaccine not registered"),
			IssuedAt:   issued,
			Location:   mustLocation(t, "Asia/Baku"),
			Specimen:   true,
		}},
	}
}
