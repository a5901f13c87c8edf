# Nynorsk: messages shown when an answer does not pass validation.
# Used by src/forms/validate/ (identifiers, postal codes, phone, e-mail) and by the form engine (the
# generic field messages at the end). Every id here must exist in validation.nb.ftl and validation.en.ftl
# too, with the same variables (a test in src/forms/validate/mod.rs checks it).
#
# Style (ELMER, GOV.UK): say what is wrong and how to fix it, plainly, and speak to the user as «du».
# { $label } is the field's label, inserted lower-case-first by the engine.
# Pass $count, $min, $max and $years as numbers, so the plural variants ([one]) can match.

## Fødselsnummer and D-nummer (fnr.rs)
v-fnr-digits = Fødselsnummeret kan berre innehalde tal. Skriv dei 11 sifra utan bokstavar eller andre teikn.
v-fnr-length = Fødselsnummeret må ha 11 siffer. Du har skrive { $count }.
v-fnr-date = Dei seks første sifra i fødselsnummeret er ikkje ein dato som finst. Sjekk at du har skrive dei rett.
v-fnr-century = Fødselsåret passar ikkje med sifra etter fødselsdatoen, så nummeret finst ikkje. Sjekk at du har skrive alle dei 11 sifra rett.
v-fnr-future = Fødselsnummeret byrjar med ein dato fram i tid. Sjekk dei seks første sifra.
v-fnr-checksum = Fødselsnummeret er ikkje gyldig. Truleg er det ein skrivefeil – sjekk at du har skrive alle dei 11 sifra rett.

## Organisasjonsnummer (orgnr.rs)
v-orgnr-digits = Organisasjonsnummeret kan berre innehalde tal. Skriv dei 9 sifra utan bokstavar, til dømes utan «NO» og «MVA».
v-orgnr-length = Organisasjonsnummeret må ha 9 siffer. Du har skrive { $count }.
v-orgnr-checksum = Organisasjonsnummeret er ikkje gyldig. Truleg er det ein skrivefeil – sjekk sifra. Du kan slå opp nummeret på brreg.no.

## Kontonummer (kontonr.rs)
v-kontonr-digits = Kontonummeret kan berre innehalde tal, mellomrom og punktum. Skriv dei 11 sifra i det norske kontonummeret, til dømes 1234 56 78903 (ikkje IBAN).
v-kontonr-length = Kontonummeret må ha 11 siffer. Du har skrive { $count }.
v-kontonr-checksum = Kontonummeret er ikkje gyldig. Truleg er det ein skrivefeil – sjekk sifra mot nettbanken din.

## Postnummer (postnummer.rs)
v-postnummer-format = Postnummeret må ha 4 siffer, til dømes 0150.
v-postnummer-unknown = Postnummeret { $postnummer } finst ikkje. Sjekk at du har skrive det rett.
v-postnummer-service = Postnummeret { $postnummer } blir ikkje brukt i adresser. Skriv postnummeret til adressa, til dømes 0150.

## Telefonnummer (phone.rs)
v-phone-characters = Telefonnummeret kan berre innehalde tal, mellomrom og bindestrek, og eventuelt + framfor landskoden.
v-phone-format = Eit norsk telefonnummer har 8 siffer, til dømes 412 34 567. Har du eit utanlandsk nummer, skriv + og landskoden først.
v-phone-country = Landskoden kan ikkje byrje med 0. Skriv + og landskoden, til dømes +46 for Sverige.
v-phone-international-length = Eit utanlandsk telefonnummer må ha mellom 8 og 15 siffer, medrekna landskoden. Sjekk at du har teke med heile nummeret.

## E-postadresse (email.rs)
v-email-format = Skriv e-postadressa, til dømes namn@eksempel.no.
v-email-spaces = E-postadressa kan ikkje innehalde mellomrom. Fjern mellomromma.
v-email-missing-at = E-postadressa manglar @. Skriv ho slik: namn@eksempel.no.
v-email-many-at = E-postadressa kan berre ha éin @. Sjekk at du har skrive ho rett.
v-email-too-long = E-postadressa er for lang. Ho kan ha høgst 254 teikn.
v-email-local-missing = Skriv det som skal stå framfor @ i e-postadressa, til dømes namn@eksempel.no.
v-email-local-too-long = Delen framfor @ i e-postadressa er for lang. Bruk høgst 64 teikn.
v-email-local-characters = Delen framfor @ i e-postadressa inneheld teikn som ikkje er tillatne. Bruk bokstavar, tal og teikn som punktum, bindestrek og understrek.
v-email-local-dots = E-postadressa kan ikkje byrje med punktum, ha punktum rett framfor @ eller ha to punktum etter kvarandre.
v-email-domain = Sjekk det som står etter @ i e-postadressa. Det må vere eit domene som eksempel.no, med punktum og ei ending som .no eller .com.
v-email-domain-characters = Det som står etter @ i e-postadressa, kan berre innehalde bokstavar, tal, bindestrek og punktum. Sjekk at du ikkje har skrive komma i staden for punktum.

## Attachments (uploads)
v-required-file = Last opp ei fil til «{ $label }».
v-file-too-many = Du kan laste opp høgst { $max } { $max ->
    [one] fil
   *[other] filer
} her. Fjern ei fil før du lastar opp ei ny.
v-file-total-count = Du kan ha høgst { $max } vedlegg i éin søknad.
v-file-empty = Fila «{ $name }» er tom. Vel ei fil med innhald.
v-file-too-large = Fila «{ $name }» er for stor. Ho kan vere høgst { $max } MB.
v-file-total-size = Vedlegga kan til saman vere høgst { $max } MB. Fjern ei fil eller last opp ei mindre.
v-file-type = Fila «{ $name }» har ein filtype som ikkje kan brukast her. Last opp ei fil av typen { $types }.
v-file-infected = Fila «{ $name }» vart avvist fordi viruskontrollen fann skadeleg innhald. Fila er sletta.
v-file-scan-failed = Vi kunne ikkje sjekke fila «{ $name }» for virus akkurat no. Prøv igjen om litt.
v-file-budget = Fila «{ $name }» vart ikkje teken imot, fordi det er lasta opp svært mykje herifrå den siste timen. Prøv igjen om ein time.
v-file-unreadable = Fila «{ $name }» kunne ikkje lesast. Ho kan vere skadd eller ufullstendig. Lagre ho på nytt som { $types } og last ho opp igjen.
v-file-too-many-pixels = Biletet «{ $name }» er for stort ({ $pixels } megapikslar). Det kan ha høgst { $max } megapikslar. Ta eit nytt bilete med lågare oppløysing, eller gjer det mindre.
v-file-active = Fila «{ $name }» inneheld kode som kan køyrast, til dømes ei nettside eller eit skript, og kan ikkje takast imot. Lagre dokumentet som ei vanleg fil og last det opp igjen.

## Generic field messages (the form engine)
# v-required: an empty text field. v-required-choice: no radio button chosen. v-required-consent: a
# checkbox that must be ticked.
v-required = Fyll ut «{ $label }».
v-required-choice = Vel eit svar på «{ $label }».
v-required-consent = Kryss av for «{ $label }» for å gå vidare.
v-too-long = «{ $label }» kan ha høgst { $max } teikn. Kort ned teksten.
v-control-chars = «{ $label }» inneheld teikn som ikkje kan brukast, til dømes eit usynleg kontrollteikn. Skriv svaret på nytt.
v-too-short = «{ $label }» må ha minst { $min } teikn.
v-pattern = Sjekk at «{ $label }» er skrive rett.
v-number-format = Skriv «{ $label }» som eit tal, til dømes 12 eller 12,5.
v-number-format-integer = Skriv «{ $label }» som eit heilt tal, til dømes 3.
v-number-integer = Skriv eit heilt tal, utan komma.
v-number-min = Skriv eit tal som er { $min } eller høgare.
v-number-max = Skriv eit tal som er { $max } eller lågare.
v-date-format = Skriv datoen med dag, månad og år, til dømes 17.05.2026.
v-date-not-real = Datoen finst ikkje. Sjekk dag og månad.
v-date-before = Datoen må vere { $date } eller tidlegare.
v-date-after = Datoen må vere { $date } eller seinare.
# v-date-future: the date is in the future, and must not be. v-date-past: the date is in the past, and
# must not be. Both allow today.
v-date-future = Datoen kan ikkje vere fram i tid. Skriv dagens dato eller ein tidlegare dato.
v-date-past = Datoen kan ikkje vere tilbake i tid. Skriv dagens dato eller ein seinare dato.
v-age-min = Personen må vere minst { $years } år. Sjekk at fødselsdatoen er rett.
v-age-max = Personen kan vere høgst { $years } år. Sjekk at fødselsdatoen er rett.
v-choice-unknown = Vel eitt av alternativa.
v-choices-min = Vel minst { $min ->
        [one] eitt alternativ
       *[other] { $min } alternativ
    }.
v-choices-max = Du kan velje høgst { $max ->
        [one] eitt alternativ
       *[other] { $max } alternativ
    }.
v-group-min = Legg til minst { $min ->
        [one] éi oppføring
       *[other] { $min } oppføringar
    }.
v-group-max = Du kan leggje til høgst { $max ->
        [one] éi oppføring
       *[other] { $max } oppføringar
    }. Fjern dei du ikkje treng.
