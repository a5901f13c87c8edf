# Bokmål: messages shown when an answer does not pass validation.
# Used by src/forms/validate/ (identifiers, postal codes, phone, e-mail) and by the form engine (the
# generic field messages at the end). Every id here must exist in validation.nn.ftl and validation.en.ftl
# too, with the same variables (a test in src/forms/validate/mod.rs checks it).
#
# Style (ELMER, GOV.UK): say what is wrong and how to fix it, plainly, and speak to the user as «du».
# { $label } is the field's label, inserted lower-case-first by the engine.
# Pass $count, $min, $max and $years as numbers, so the plural variants ([one]) can match.

## Fødselsnummer and D-nummer (fnr.rs)
v-fnr-digits = Fødselsnummeret kan bare inneholde tall. Skriv de 11 sifrene uten bokstaver eller andre tegn.
v-fnr-length = Fødselsnummeret må ha 11 siffer. Du har skrevet { $count }.
v-fnr-date = De seks første sifrene i fødselsnummeret er ikke en dato som finnes. Sjekk at du har skrevet dem riktig.
v-fnr-century = Fødselsåret passer ikke med sifrene etter fødselsdatoen, så nummeret finnes ikke. Sjekk at du har skrevet alle de 11 sifrene riktig.
v-fnr-future = Fødselsnummeret begynner med en dato fram i tid. Sjekk de seks første sifrene.
v-fnr-checksum = Fødselsnummeret er ikke gyldig. Sannsynligvis er det en skrivefeil – sjekk at du har skrevet alle de 11 sifrene riktig.

## Organisasjonsnummer (orgnr.rs)
v-orgnr-digits = Organisasjonsnummeret kan bare inneholde tall. Skriv de 9 sifrene uten bokstaver, for eksempel uten «NO» og «MVA».
v-orgnr-length = Organisasjonsnummeret må ha 9 siffer. Du har skrevet { $count }.
v-orgnr-checksum = Organisasjonsnummeret er ikke gyldig. Sannsynligvis er det en skrivefeil – sjekk sifrene. Du kan slå opp nummeret på brreg.no.

## Kontonummer (kontonr.rs)
v-kontonr-digits = Kontonummeret kan bare inneholde tall, mellomrom og punktum. Skriv de 11 sifrene i det norske kontonummeret, for eksempel 1234 56 78903 (ikke IBAN).
v-kontonr-length = Kontonummeret må ha 11 siffer. Du har skrevet { $count }.
v-kontonr-checksum = Kontonummeret er ikke gyldig. Sannsynligvis er det en skrivefeil – sjekk sifrene mot nettbanken din.

## Postnummer (postnummer.rs)
v-postnummer-format = Postnummeret må ha 4 siffer, for eksempel 0150.
v-postnummer-unknown = Postnummeret { $postnummer } finnes ikke. Sjekk at du har skrevet det riktig.
v-postnummer-service = Postnummeret { $postnummer } brukes ikke i adresser. Skriv postnummeret til adressen, for eksempel 0150.

## Telefonnummer (phone.rs)
v-phone-characters = Telefonnummeret kan bare inneholde tall, mellomrom og bindestrek, og eventuelt + foran landskoden.
v-phone-format = Et norsk telefonnummer har 8 siffer, for eksempel 412 34 567. Har du et utenlandsk nummer, skriv + og landskoden først.
v-phone-country = Landskoden kan ikke begynne med 0. Skriv + og landskoden, for eksempel +46 for Sverige.
v-phone-international-length = Et utenlandsk telefonnummer må ha mellom 8 og 15 siffer, medregnet landskoden. Sjekk at du har tatt med hele nummeret.

## E-postadresse (email.rs)
v-email-format = Skriv e-postadressen, for eksempel navn@eksempel.no.
v-email-spaces = E-postadressen kan ikke inneholde mellomrom. Fjern mellomrommene.
v-email-missing-at = E-postadressen mangler @. Skriv den slik: navn@eksempel.no.
v-email-many-at = E-postadressen kan bare ha én @. Sjekk at du har skrevet den riktig.
v-email-too-long = E-postadressen er for lang. Den kan ha høyst 254 tegn.
v-email-local-missing = Skriv det som skal stå foran @ i e-postadressen, for eksempel navn@eksempel.no.
v-email-local-too-long = Delen foran @ i e-postadressen er for lang. Bruk høyst 64 tegn.
v-email-local-characters = Delen foran @ i e-postadressen inneholder tegn som ikke er tillatt. Bruk bokstaver, tall og tegn som punktum, bindestrek og understrek.
v-email-local-dots = E-postadressen kan ikke begynne med punktum, ha punktum rett foran @ eller ha to punktum etter hverandre.
v-email-domain = Sjekk det som står etter @ i e-postadressen. Det må være et domene som eksempel.no, med punktum og en endelse som .no eller .com.
v-email-domain-characters = Det som står etter @ i e-postadressen, kan bare inneholde bokstaver, tall, bindestrek og punktum. Sjekk at du ikke har skrevet komma i stedet for punktum.

## Attachments (uploads)
v-required-file = Last opp en fil til «{ $label }».
v-file-too-many = Du kan laste opp høyst { $max } { $max ->
    [one] fil
   *[other] filer
} her. Fjern en fil før du laster opp en ny.
v-file-total-count = Du kan ha høyst { $max } vedlegg i én søknad.
v-file-empty = Filen «{ $name }» er tom. Velg en fil med innhold.
v-file-too-large = Filen «{ $name }» er for stor. Den kan være høyst { $max } MB.
v-file-total-size = Vedleggene kan til sammen være høyst { $max } MB. Fjern en fil eller last opp en mindre.
v-file-type = Filen «{ $name }» har en filtype som ikke kan brukes her. Last opp en fil av typen { $types }.
v-file-infected = Filen «{ $name }» ble avvist fordi virussjekken fant skadelig innhold. Filen er slettet.
v-file-scan-failed = Vi kunne ikke sjekke filen «{ $name }» for virus akkurat nå. Prøv igjen om litt.
v-file-budget = Fila «{ $name }» ble ikke tatt imot, fordi det er lastet opp svært mye herfra den siste timen. Prøv igjen om en time.
v-file-unreadable = Fila «{ $name }» kunne ikke leses. Den kan være skadet eller ufullstendig. Lagre den på nytt som { $types } og last den opp igjen.
v-file-too-many-pixels = Bildet «{ $name }» er for stort ({ $pixels } megapiksler). Det kan ha høyst { $max } megapiksler. Ta et nytt bilde med lavere oppløsning, eller forminsk det.
v-file-active = Fila «{ $name }» inneholder kode som kan kjøres, for eksempel en nettside eller et skript, og kan ikke tas imot. Lagre dokumentet som en vanlig fil og last det opp igjen.

## Generic field messages (the form engine)
# v-required: an empty text field. v-required-choice: no radio button chosen. v-required-consent: a
# checkbox that must be ticked.
v-required = Fyll ut «{ $label }».
v-required-choice = Velg et svar på «{ $label }».
v-required-consent = Kryss av for «{ $label }» for å gå videre.
v-too-long = «{ $label }» kan ha høyst { $max } tegn. Kort ned teksten.
v-control-chars = «{ $label }» inneholder tegn som ikke kan brukes, for eksempel et usynlig kontrolltegn. Skriv svaret på nytt.
v-too-short = «{ $label }» må ha minst { $min } tegn.
v-pattern = Sjekk at «{ $label }» er skrevet riktig.
v-number-format = Skriv «{ $label }» som et tall, for eksempel 12 eller 12,5.
v-number-format-integer = Skriv «{ $label }» som et helt tall, for eksempel 3.
v-number-integer = Skriv et helt tall, uten komma.
v-number-min = Skriv et tall som er { $min } eller høyere.
v-number-max = Skriv et tall som er { $max } eller lavere.
v-date-format = Skriv datoen med dag, måned og år, for eksempel 17.05.2026.
v-date-not-real = Datoen finnes ikke. Sjekk dag og måned.
v-date-before = Datoen må være { $date } eller tidligere.
v-date-after = Datoen må være { $date } eller senere.
# v-date-future: the date is in the future, and must not be. v-date-past: the date is in the past, and
# must not be. Both allow today.
v-date-future = Datoen kan ikke være fram i tid. Skriv dagens dato eller en tidligere dato.
v-date-past = Datoen kan ikke være tilbake i tid. Skriv dagens dato eller en senere dato.
v-age-min = Personen må være minst { $years } år. Sjekk at fødselsdatoen er riktig.
v-age-max = Personen kan være høyst { $years } år. Sjekk at fødselsdatoen er riktig.
v-choice-unknown = Velg et av alternativene.
v-choices-min = Velg minst { $min ->
        [one] ett alternativ
       *[other] { $min } alternativer
    }.
v-choices-max = Du kan velge høyst { $max ->
        [one] ett alternativ
       *[other] { $max } alternativer
    }.
v-group-min = Legg til minst { $min ->
        [one] én oppføring
       *[other] { $min } oppføringer
    }.
v-group-max = Du kan legge til høyst { $max ->
        [one] én oppføring
       *[other] { $max } oppføringer
    }. Fjern de du ikke trenger.
