package certpdf

// The texts of the antibody commission's forms (the certificate and the statement),
// in Russian and English: the forms belong to one region (RU-KAM), whose profile
// prints these two languages, so they are kept here rather than in the catalogue
// of every language.

// antibodyLanguages are the languages of the commission's forms, primary first.
func antibodyLanguages() []string { return []string{"ru", "en"} }

// ruEn is one text in Russian and in English.
type ruEn struct{ ru, en string }

// multi returns t as printed in the forms' languages; bold sets the Russian text in
// the bold face.
func (t ruEn) multi(field string, bold bool) multi {
	return multi{
		{field: field + " (ru)", s: t.ru, bold: bold},
		{field: field + " (en)", s: t.en},
	}
}

// formTexts are the fixed texts of the commission's forms.
type formTexts struct {
	// The antibody certificate.
	title, section, decision, present, absent       ruEn
	test, value, laboratory                         ruEn
	members, registerNumber, validTil, scopeHeading ruEn
	nationalOnly                                    ruEn
	// tests names the antibody tests (LOINC) the commission accepts.
	tests map[string]ruEn

	// The statement (application).
	statementTitle, statementTo, applicant, fullName, number ruEn
	snils, oms, request, service, paid, consent              ruEn
	signature, date, received                                ruEn
}

func newFormTexts() formTexts {
	return formTexts{
		title:          ruEn{"Сертификат комиссии по антителам", "Certificate of the antibody commission"},
		section:        ruEn{"Решение комиссии", "Commission decision"},
		decision:       ruEn{"Решение", "Decision"},
		present:        ruEn{"Антитела к SARS-CoV-2 обнаружены", "SARS-CoV-2 antibodies present"},
		absent:         ruEn{"Антитела к SARS-CoV-2 не обнаружены", "SARS-CoV-2 antibodies absent"},
		test:           ruEn{"Исследование", "Test"},
		value:          ruEn{"Результат (референсный интервал)", "Result (reference range)"},
		laboratory:     ruEn{"Лаборатория, дата взятия образца", "Laboratory, date of sample"},
		members:        ruEn{"Члены комиссии", "Commission members"},
		registerNumber: ruEn{"Номер в реестре", "Register number"},
		validTil:       ruEn{"Действителен до", "Valid until"},
		scopeHeading:   ruEn{"Где действителен", "Where it is valid"},
		// The marking every antibody certificate carries, on the page as in its
		// code (see the doc of package commission).
		nationalOnly: ruEn{
			"Действителен только в Камчатском крае (RU-KAM); не является цифровым COVID-сертификатом ЕС.",
			"Valid only in Kamchatka Krai (RU-KAM); not an EU Digital COVID Certificate.",
		},
		tests: map[string]ruEn{
			"94504-8": {"Антитела к SARS-CoV-2 (LOINC 94504-8)", "SARS-CoV-2 antibodies (LOINC 94504-8)"},
			"94762-2": {"Антитела к SARS-CoV-2, иммуноанализ (LOINC 94762-2)", "SARS-CoV-2 antibodies, immunoassay (LOINC 94762-2)"},
		},

		statementTitle: ruEn{"Заявление", "Application"},
		statementTo:    ruEn{"В комиссию по антителам", "To the antibody commission"},
		applicant:      ruEn{"Заявитель", "Applicant"},
		fullName:       ruEn{"Фамилия, имя, отчество", "Full name"},
		number:         ruEn{"Номер заявления", "Application number"},
		snils:          ruEn{"СНИЛС", "SNILS"},
		oms:            ruEn{"Полис ОМС", "OMS policy"},
		request:        ruEn{"Прошу", "I request"},
		service: ruEn{
			"провести комиссионную оценку результата лабораторного исследования на антитела к SARS-CoV-2 и выдать сертификат комиссии о наличии или отсутствии антител.",
			"that the commission assess the result of my laboratory test for SARS-CoV-2 antibodies and issue its certificate of the presence or absence of antibodies.",
		},
		paid: ruEn{
			"Услуга платная: оплата по договору в кассе. Результат исследования представляю из лаборатории.",
			"The service is paid for under a contract at the cashier. I provide the laboratory's result.",
		},
		consent: ruEn{
			"Я согласен(на) на обработку моих персональных данных для оказания этой услуги и ведения реестра выданных сертификатов.",
			"I consent to the processing of my personal data for this service and for the register of certificates issued.",
		},
		signature: ruEn{"Подпись заявителя", "Applicant's signature"},
		date:      ruEn{"Дата", "Date"},
		received:  ruEn{"Заявление принято", "Application received"},
	}
}
