package certpdf

// The label catalogue: every title, field label and fixed sentence printed on a
// certificate or a refusal slip, in each language a profile may use.

// Languages returns the language codes (ISO 639-1) the label catalogue covers, in the
// catalogue's order. A profile's languages must be drawn from these.
func Languages() []string { return []string{"et", "en", "ru", "az"} }

// label names one entry of the catalogue.
type label int

const (
	labelTitleVaccination label = iota
	labelTitleTest
	labelTitleRecovery
	labelSectionHolder
	labelSectionVaccination
	labelSectionTest
	labelSectionRecovery
	labelSurname
	labelForename
	labelDateOfBirth
	labelDisease
	labelProphylaxis
	labelProduct
	labelManufacturer
	labelDose
	labelVaccinationDate
	labelVaccinationCountry
	labelTestType
	labelTestName
	labelTestDevice
	labelSampleTime
	labelTestResult
	labelTestCentre
	labelTestCountry
	labelFirstPositive
	labelValidFrom
	labelValidUntil
	labelIssuer
	labelIdentifier
	labelIssued
	labelNotes
	labelVerify
	labelPaperNote
	labelSpecimenWord
	labelSpecimenBanner
	labelRefusalTitle
	labelRefusalWhy
	labelRefusalNextStep
	labelRefusalHelp
	labelRefusalPrinted
	labelRefusalSpecimenBanner

	// The claim receipt (receipt.go).
	labelReceiptTitle
	labelReceiptWhy
	labelReceiptCode
	labelReceiptCollect
	labelReceiptNoData

	// The mark on a reprint (Certificate.Copy, Refusal.Copy).
	labelCopyWord

	labelCount // not a label: the size of the catalogue
)

// translations is one label in every catalogue language.
type translations struct {
	et, en, ru, az string
}

// in returns the label in lang, false when the language is not in the catalogue.
func (t translations) in(lang string) (string, bool) {
	var s string
	switch lang {
	case "et":
		s = t.et
	case "en":
		s = t.en
	case "ru":
		s = t.ru
	case "az":
		s = t.az
	}
	return s, s != ""
}

// catalogue is indexed by label; an entry left out of the literal is empty, which
// TestCatalogueComplete reports.
type catalogue [labelCount]translations

func newCatalogue() catalogue {
	return catalogue{
		labelTitleVaccination: {
			et: "Vaktsineerimistõend",
			en: "Vaccination certificate",
			ru: "Сертификат о вакцинации",
			az: "Peyvənd sertifikatı",
		},
		labelTitleTest: {
			et: "Testimistõend",
			en: "Test certificate",
			ru: "Сертификат о тестировании",
			az: "Test sertifikatı",
		},
		labelTitleRecovery: {
			et: "Läbipõdemistõend",
			en: "Certificate of recovery",
			ru: "Сертификат о перенесённом заболевании",
			az: "Sağalma sertifikatı",
		},
		labelSectionHolder: {
			et: "Tõendi omanik",
			en: "Certificate holder",
			ru: "Владелец сертификата",
			az: "Sertifikat sahibi",
		},
		labelSectionVaccination: {
			et: "Vaktsineerimine",
			en: "Vaccination",
			ru: "Вакцинация",
			az: "Peyvəndləmə",
		},
		labelSectionTest: {
			et: "Testimine",
			en: "Test",
			ru: "Тестирование",
			az: "Test",
		},
		labelSectionRecovery: {
			et: "Läbipõdemine",
			en: "Recovery",
			ru: "Выздоровление",
			az: "Sağalma",
		},
		labelSurname: {
			et: "Perekonnanimi",
			en: "Surname",
			ru: "Фамилия",
			az: "Soyad",
		},
		labelForename: {
			et: "Eesnimi",
			en: "Forename",
			ru: "Имя",
			az: "Ad",
		},
		labelDateOfBirth: {
			et: "Sünniaeg",
			en: "Date of birth",
			ru: "Дата рождения",
			az: "Doğum tarixi",
		},
		labelDisease: {
			et: "Haigus",
			en: "Disease targeted",
			ru: "Заболевание",
			az: "Xəstəlik",
		},
		labelProphylaxis: {
			et: "Vaktsiini tüüp",
			en: "Vaccine type",
			ru: "Тип вакцины",
			az: "Peyvəndin növü",
		},
		labelProduct: {
			et: "Vaktsiin",
			en: "Vaccine product",
			ru: "Вакцина",
			az: "Peyvənd preparatı",
		},
		labelManufacturer: {
			et: "Tootja",
			en: "Manufacturer",
			ru: "Производитель",
			az: "İstehsalçı",
		},
		labelDose: {
			et: "Doos",
			en: "Dose",
			ru: "Доза",
			az: "Doza",
		},
		labelVaccinationDate: {
			et: "Vaktsineerimise kuupäev",
			en: "Date of vaccination",
			ru: "Дата вакцинации",
			az: "Peyvənd tarixi",
		},
		labelVaccinationCountry: {
			et: "Vaktsineerimise riik",
			en: "Country of vaccination",
			ru: "Страна вакцинации",
			az: "Peyvənd olunduğu ölkə",
		},
		labelTestType: {
			et: "Testi tüüp",
			en: "Type of test",
			ru: "Тип теста",
			az: "Testin növü",
		},
		labelTestName: {
			et: "Testi nimetus",
			en: "Test name",
			ru: "Название теста",
			az: "Testin adı",
		},
		labelTestDevice: {
			et: "Testi tootja ja nimetus",
			en: "Test manufacturer and name",
			ru: "Производитель и название теста",
			az: "Testin istehsalçısı və adı",
		},
		labelSampleTime: {
			et: "Proovi võtmise aeg",
			en: "Date and time of sample collection",
			ru: "Дата и время взятия пробы",
			az: "Nümunənin götürülmə vaxtı",
		},
		labelTestResult: {
			et: "Testi tulemus",
			en: "Test result",
			ru: "Результат теста",
			az: "Testin nəticəsi",
		},
		labelTestCentre: {
			et: "Testimiskeskus",
			en: "Testing centre",
			ru: "Центр тестирования",
			az: "Test mərkəzi",
		},
		labelTestCountry: {
			et: "Testimise riik",
			en: "Country of test",
			ru: "Страна тестирования",
			az: "Testin aparıldığı ölkə",
		},
		labelFirstPositive: {
			et: "Esimese positiivse testi kuupäev",
			en: "Date of first positive test",
			ru: "Дата первого положительного теста",
			az: "İlk müsbət testin tarixi",
		},
		labelValidFrom: {
			et: "Kehtib alates",
			en: "Valid from",
			ru: "Действителен с",
			az: "Etibarlılığın başlanğıcı",
		},
		labelValidUntil: {
			et: "Kehtib kuni",
			en: "Valid until",
			ru: "Действителен до",
			az: "Etibarlılığın sonu",
		},
		labelIssuer: {
			et: "Tõendi väljaandja",
			en: "Certificate issuer",
			ru: "Кем выдан сертификат",
			az: "Sertifikatı verən",
		},
		labelIdentifier: {
			et: "Tõendi identifikaator",
			en: "Certificate identifier",
			ru: "Идентификатор сертификата",
			az: "Sertifikatın identifikatoru",
		},
		labelIssued: {
			et: "Välja antud",
			en: "Issued",
			ru: "Дата выдачи",
			az: "Verilmə tarixi",
		},
		labelNotes: {
			et: "Märkused",
			en: "Notes",
			ru: "Примечания",
			az: "Qeydlər",
		},
		labelVerify: {
			et: "Kontrollige tõendit",
			en: "Check the certificate",
			ru: "Проверьте сертификат",
			az: "Sertifikatı yoxlayın",
		},
		labelPaperNote: {
			et: "Paberil tõend kehtib samamoodi kui digitaalne.",
			en: "The paper certificate is as valid as the digital one.",
			ru: "Бумажный сертификат действителен так же, как цифровой.",
			az: "Kağız sertifikat rəqəmsal sertifikat qədər etibarlıdır.",
		},
		labelSpecimenWord: {
			et: "NÄIDIS",
			en: "SPECIMEN",
			ru: "ОБРАЗЕЦ",
			az: "NÜMUNƏ",
		},
		labelSpecimenBanner: {
			et: "NÄIDIS — testväljaandja, ei kehti",
			en: "SPECIMEN — test issuer, not valid",
			ru: "ОБРАЗЕЦ — тестовый издатель, недействителен",
			az: "NÜMUNƏ — test emitenti, etibarlı deyil",
		},
		labelRefusalTitle: {
			et: "Tõendit ei saanud väljastada",
			en: "No certificate could be issued",
			ru: "Сертификат не может быть выдан",
			az: "Sertifikat verilə bilmədi",
		},
		labelRefusalWhy: {
			et: "Põhjus",
			en: "Why",
			ru: "Причина",
			az: "Səbəb",
		},
		labelRefusalNextStep: {
			et: "Mida saate teha",
			en: "What you can do",
			ru: "Что можно сделать",
			az: "Nə edə bilərsiniz",
		},
		labelRefusalHelp: {
			et: "Kui vajate abi, näidake seda lehte töötajale.",
			en: "If you need help, show this slip to a member of staff.",
			ru: "Если нужна помощь, покажите этот листок сотруднику.",
			az: "Köməyə ehtiyacınız olarsa, bu vərəqi işçiyə göstərin.",
		},
		labelRefusalPrinted: {
			et: "Trükitud",
			en: "Printed",
			ru: "Дата печати",
			az: "Çap tarixi",
		},
		labelRefusalSpecimenBanner: {
			et: "NÄIDIS — ainult tutvustamiseks, ei ole ametlik teade",
			en: "SPECIMEN — for demonstration only, not an official notice",
			ru: "ОБРАЗЕЦ — только для демонстрации, не является официальным уведомлением",
			az: "NÜMUNƏ — yalnız nümayiş üçündür, rəsmi bildiriş deyil",
		},

		// The claim receipt (receipt.go).
		labelReceiptTitle: {
			et: "Teie taotlus on vastu võetud",
			en: "Your request has been received",
			ru: "Ваш запрос принят",
			az: "Sorğunuz qəbul edildi",
		},
		labelReceiptWhy: {
			et: "Registriga ei saa praegu ühendust. Tõend valmistatakse ette kohe, kui ühendus taastub.",
			en: "The registry cannot be reached just now. Your certificate will be prepared as soon as it can be reached again.",
			ru: "Регистр сейчас недоступен. Сертификат будет подготовлен, как только связь восстановится.",
			az: "Reyestrlə hazırda əlaqə yoxdur. Sertifikatınız əlaqə bərpa olunan kimi hazırlanacaq.",
		},
		labelReceiptCode: {
			et: "Väljastuskood",
			en: "Claim code",
			ru: "Код получения",
			az: "Alma kodu",
		},
		labelReceiptCollect: {
			et: "Tõendi saamiseks tuvastage end kioskis uuesti või sisestage see kood ja oma sünnikuupäev. Töötaja saab tõendi teile ka välja trükkida.",
			en: "To collect the certificate, identify yourself at the kiosk again, or enter this code and your date of birth. A member of staff can also print it for you.",
			ru: "Чтобы получить сертификат, снова подтвердите личность в киоске или введите этот код и дату рождения. Сотрудник также может распечатать его для вас.",
			az: "Sertifikatı almaq üçün kioskda yenidən şəxsiyyətinizi təsdiqləyin və ya bu kodu və doğum tarixinizi daxil edin. İşçi də onu sizin üçün çap edə bilər.",
		},
		labelReceiptNoData: {
			et: "Sellel kviitungil ei ole isikuandmeid.",
			en: "This receipt carries no personal data.",
			ru: "Эта квитанция не содержит персональных данных.",
			az: "Bu qəbzdə şəxsi məlumat yoxdur.",
		},

		// The mark on a reprint.
		labelCopyWord: {
			et: "KOOPIA",
			en: "COPY",
			ru: "КОПИЯ",
			az: "SURƏT",
		},
	}
}
