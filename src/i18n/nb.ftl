# Bokmål. Every id here must exist in nn.ftl and en.ftl too (a test checks it).

## Page frame
skip-link = Hopp til hovedinnholdet
lang-switch-label = Velg språk
footer-contact = Kontakt kommunen
footer-email = E-post
footer-phone = Telefon
footer-about = Digitale tjenester levert med Rådhus
breadcrumb-label = Du er her
breadcrumb-home = Forside
broadcast-label = Viktig melding

## Portal
portal-heading = Skjema og søknader
portal-intro = Her finner du kommunens digitale skjema. Du kan søke etter et skjema eller bla i temaene nedenfor.
portal-topics = Skjema etter tema
portal-no-forms = Kommunen har ingen skjema på nett ennå.
search-label = Søk etter skjema
search-hint = For eksempel «barnehage», «parkering» eller «innsyn»
search-button = Søk
search-heading = Søk i skjema
search-count = { $count ->
    [one] Ett skjema passer søket «{ $query }».
   *[other] { $count } skjema passer søket «{ $query }».
}
search-none = Ingen skjema passer søket «{ $query }». Sjekk stavemåten, prøv et annet ord, eller se alle skjema på forsiden.
search-not-offered = { $tenant } har ikke et skjema på nett for «{ $query }». Disse skjemaene finnes i skjemabiblioteket, men tilbys ikke her:
search-not-offered-contact = Kontakt kommunen for å høre hvordan du gjør det, eller se alle skjemaene kommunen tilbyr på forsiden. E-post:
search-empty = Skriv inn ett eller flere ord for å søke.
search-all-forms = Se alle skjema

## Topics
topic-barnehage = Barnehage
topic-skole-og-sfo = Skole og SFO
topic-helse-og-omsorg = Helse og omsorg
topic-bolig-og-okonomi = Bolig og økonomi
topic-bygg-og-eiendom = Bygg og eiendom
topic-vei-og-trafikk = Vei og trafikk
topic-vann-og-avfall = Vann og avfall
topic-kultur-og-fritid = Kultur og fritid
topic-naering-og-bevilling = Næring og bevilling
topic-politikk-og-innsyn = Politikk og innsyn
topic-arbeid = Jobb i kommunen
topic-kontakt = Kontakt kommunen

## Form landing page
form-about = Om tjenesten
form-who = Hvem kan bruke skjemaet
form-need = Dette trenger du
form-handling-time = Saksbehandlingstid
form-handling-days = { $days ->
    [one] Vanligvis innen én dag
   *[other] Vanligvis innen { $days } dager
}
form-legal-basis = Lovgrunnlag
form-login = Innlogging
form-login-none = Du trenger ikke å logge inn.
form-login-optional = Du trenger ikke å logge inn for å sende skjemaet.
form-login-required-low = Krever innlogging, som ikke er tilgjengelig på denne løsningen ennå.
form-login-required-substantial = Krever innlogging på sikkerhetsnivå betydelig, som ikke er tilgjengelig på denne løsningen ennå.
form-login-required-high = Krever innlogging på sikkerhetsnivå høyt, som ikke er tilgjengelig på denne løsningen ennå.
form-read-more = Les mer
form-start = Start utfyllingen

## Errors
error-code = Feilkode: { $id }
error-code-help = Oppgi feilkoden hvis du kontakter kommunen om feilen.
error-home = Gå til forsiden
error-back = Gå tilbake og prøv igjen
error-400-title = Vi forstod ikke forespørselen
error-400-body = Adressen eller innholdet som ble sendt, er ugyldig. Sjekk at adressen er skrevet riktig.
error-403-title = Skjemaet ble ikke sendt
error-403-body = Vi kunne ikke bekrefte at innsendingen kom fra denne nettsiden. Det skjer oftest hvis siden var åpen lenge, eller hvis nettleseren blokkerer informasjonskapsler.
error-403-resend-body = Det du fylte ut, er tatt vare på. Trykk på knappen for å sende det på nytt.
error-403-warning = Hvis du ikke nettopp fylte ut et skjema på denne nettsiden, skal du ikke trykke på knappen.
error-403-resend = Send på nytt
error-404-title = Vi fant ikke siden
error-404-body = Adressen kan være skrevet feil, eller siden kan være flyttet eller fjernet.
error-405-title = Siden støtter ikke denne handlingen
error-405-body = Gå til siden på vanlig måte og prøv igjen.
error-408-title = Det tok for lang tid
error-408-body = Nettleseren brukte for lang tid på å sende innholdet. Sjekk nettforbindelsen og prøv igjen.
error-413-title = Innholdet er for stort
error-413-body = Det du sendte, er større enn { $limit }. Gjør innholdet mindre og prøv igjen.
error-415-title = Ukjent innholdstype
error-415-body = Siden tar bare imot skjemadata sendt fra nettleseren.
error-431-title = Forespørselen har for mye tilleggsinformasjon
error-431-body = Nettleseren sendte for mye tilleggsinformasjon, ofte for mange informasjonskapsler. Slett informasjonskapslene for denne nettsiden og prøv igjen.
error-500-title = Noe gikk galt hos oss
error-500-body = Det er ikke din feil. Prøv igjen om litt. Ingenting av det du har sendt inn tidligere, er tapt.
error-503-title = Tjenesten er midlertidig utilgjengelig
error-503-body = Tjenesten starter på nytt eller er under vedlikehold. Prøv igjen om et øyeblikk.
error-429-title = Du har gjort dette for mange ganger
error-429-body = Vi tar imot et begrenset antall skjemaer, opplastinger og e-postkopier fra hver avsender per time, for at tjenesten skal virke for alle. Ingenting av det du sendte nå, er lagret. Det du har fylt ut tidligere, er tatt vare på. Prøv igjen om en time, eller kontakt kommunen hvis det haster.
error-507-title = Vi kan ikke ta imot innsendinger akkurat nå
error-507-body = Det du sendte, er ikke lagret og ikke sendt. Det du fylte ut tidligere, er tatt vare på. Prøv igjen senere, eller kontakt kommunen hvis det haster.

## The way through a form
progress-label = Fremdrift
progress-text = Steg { $current } av { $total }
progress-done = fullført
button-next = Neste
button-back-to-summary = Tilbake til svarene
button-back = Tilbake
button-add-row = Legg til
button-remove-row = Fjern
row-label = Nr. { $n }
error-summary-title = Dette må rettes
hint-max-length = Du kan skrive opptil { $max } tegn.
error-prefix = Feil:
follow-up-if = Svar bare hvis du svarte { $answer } på «{ $question }».
follow-up-if-not = Svar bare hvis du ikke svarte { $answer } på «{ $question }».
follow-up-generic = Svar bare hvis svarene dine over tilsier det.
follow-up-text-if = Gjelder bare hvis du svarte { $answer } på «{ $question }».
follow-up-text-if-not = Gjelder bare hvis du ikke svarte { $answer } på «{ $question }».
follow-up-text-generic = Gjelder bare hvis svarene dine over tilsier det.
follow-up-answer = «{ $answer }»
follow-up-or = eller
hint-filled-from-postcode = Kan stå tomt: poststedet fylles ut fra postnummeret når du går videre.
hint-consent-withdraw = Du kan når som helst trekke samtykket tilbake ved å kontakte kommunen.
optional = (valgfritt)
answer-yes = Ja
answer-no = Nei
select-placeholder = Velg …
address-street = Gateadresse
address-postnummer = Postnummer
address-poststed = Poststed
v-address-street = Skriv inn gateadressen i «{ $label }».
v-address-postnummer = Skriv inn postnummeret i «{ $label }».
v-address-poststed = Skriv inn poststedet i «{ $label }».
attachment-upload = Last opp fil
attachment-remove = Fjern
attachment-rules = Filtype: { $types }. Inntil { $max } MB per fil, høyst { $count } { $count ->
    [one] fil
   *[other] filer
}.
attachment-uploaded = Opplastede filer
attachment-choose = Velg fil
control-title = Dette mangler før du kan sende
control-intro = Noen svar mangler eller må rettes. Velg en lenke for å gå rett til spørsmålet.
control-step = Steg: { $step }
check-title = Se over svarene før du sender
check-intro = Kontroller at svarene stemmer. Du kan endre dem før du sender.
check-change = Endre
check-not-answered = Ikke besvart
check-send-heading = Send skjemaet
check-declaration = Når du sender, bekrefter du at opplysningene er riktige etter beste evne.
check-send = Send inn
receipt-title = Skjemaet er sendt
receipt-reference = Referansenummer
receipt-when = Sendt { $date } klokka { $time }
receipt-next = Hva skjer nå
receipt-keep = Ta vare på referansenummeret. Oppgi det hvis du kontakter oss om saken. Du kan skrive ut denne siden eller lagre den som kvittering.
receipt-new = Fyll ut et nytt skjema
draft-gone-title = Utfyllingen finnes ikke lenger
draft-gone-body = Utkastet er for gammelt, eller det ble startet i en annen nettleser. Start skjemaet på nytt.

## PDF and the receipt's copies
pdf-reference = Referanse
pdf-sent = Sendt
pdf-attachments = Vedlegg
pdf-title-submission = { $form } – sendt inn, referanse { $reference }
pdf-title-blank = { $form } – skjema til utfylling på papir
pdf-blank-confirm = Kryss av for å bekrefte
pdf-blank-sign-heading = Underskrift
pdf-blank-place-date = Sted og dato
pdf-blank-signature = Underskrift
pdf-blank-send-to = Send skjemaet til { $name }, { $address }.
pdf-blank-hand-in = Lever skjemaet til { $name } eller send det som vedlegg til { $email }.
pdf-blank-intro = Fyll ut skjemaet med blokkbokstaver og send det til kommunen. Det går raskere å fylle det ut på nett.
pdf-blank-subject = Skjema til utfylling på papir
pdf-blank-address = Gateadresse, postnummer og poststed
pdf-blank-tick-any = Kryss av for alle som passer.
pdf-blank-consent = Kryss av hvis du samtykker
pdf-blank-attach = Legg ved
receipt-pdf = Last ned kvitteringen som PDF
receipt-email-too-soon = Det er allerede sendt en e-post om denne kvitteringen den siste timen. Prøv igjen senere.
confirm-title = Kopi av kvitteringen på e-post
confirm-body = Trykk på knappen for å få en kopi av kvitteringen sendt til { $address }.
confirm-send = Send kopien
confirm-sent = Kopien sendes til { $address }. Den kommer vanligvis innen noen minutter.
confirm-too-soon = Det er allerede sendt en kopi av denne kvitteringen den siste timen.
confirm-invalid = Lenken virker ikke. Den kan være for gammel (den gjelder i ett døgn) eller ufullstendig. Be om en ny kopi fra kvitteringen.
mail-confirm-subject = Bekreft e-postadressen din: kvittering fra { $municipality }
mail-confirm-body = Hei!

    Noen ba om en kopi av kvitteringen for { $form } ({ $reference }) fra { $municipality } til denne adressen. Trykk på lenken for å få kopien:

    { $link }

    Lenken gjelder i ett døgn. Ba du ikke om dette, kan du se bort fra e-posten. Denne e-posten kan ikke besvares.
receipt-email-heading = Få en kopi på e-post
receipt-email-label = E-postadresse
receipt-email-hint = Vi sender først en e-post med en lenke, så du kan bekrefte at adressen er din. Kopien inneholder skjemaets navn, referansenummeret og tidspunktet, ikke svarene dine. Last ned PDF-en over hvis du vil ta vare på svarene.
receipt-email-send = Send kopi
receipt-email-sent = Vi har sendt en e-post til { $address }. Trykk på lenken i den for å få kopien. Den kommer vanligvis innen noen minutter.
form-blank-pdf = Skjema til utfylling på papir (PDF)
receipt-email-too-many = Det er alt sendt { $max } kopier av denne kvitteringen.

## E-mail
mail-receipt-subject = Kvittering: { $form } ({ $reference })
mail-receipt-body = Hei!

    Du sendte { $form } til { $municipality } { $sent }. Referansenummeret er { $reference }.

    Oppgi referansenummeret hvis du kontakter kommunen om saken. Svarene dine sendes ikke på e-post. Du finner kommunens tjenester på { $link }. Denne e-posten kan ikke besvares.
mail-archive-subject = { $form } – { $reference }
mail-archive-body = Ny innsending fra innbyggerportalen til { $municipality }: { $form }, referanse { $reference }. Svarene ligger ved som PDF og XML, sammen med eventuelle vedlegg.

# Access and form versions
form-login-needed-note = Du må logge inn for å fylle ut dette skjemaet. Du kan logge inn med e-postadressen og passordet ditt når du starter.
form-login-unavailable = Dette skjemaet krever innlogging med ID-porten (MinID, BankID eller lignende). Den innloggingen er ikke tilgjengelig på denne løsningen ennå, så du kan ikke fylle ut skjemaet her. Last ned skjemaet på papir, eller kontakt kommunen.
step-not-saved = Svarene på denne siden ble ikke lagret, fordi vi har en feil hos oss akkurat nå. Det du skrev, står her fortsatt. Prøv å trykke «Neste» igjen om litt.
form-version-kept = Skjemaet er endret siden du begynte. Du fortsetter på den versjonen du startet på, så ingenting av det du har skrevet, går tapt.
error-403-login-title = Innloggingen skjemaet krever, er ikke tilgjengelig
error-403-login-body = Dette skjemaet krever innlogging med ID-porten, og den innloggingen er ikke tilgjengelig på denne løsningen ennå. Last ned skjemaet på papir fra skjemaets side, eller kontakt kommunen.
error-403-access-title = Du har ikke tilgang
error-403-access-body = Denne siden er ikke åpen for deg.

## Privacy and accessibility statements (footer of every page)
footer-privacy = Personvernerklæring
footer-accessibility = Tilgjengelighetserklæring
privacy-title = Personvernerklæring
privacy-intro = Her står det hvordan { $controller } behandler personopplysningene du gir når du fyller ut og sender skjema på disse sidene.
privacy-controller-heading = Hvem som er ansvarlig
privacy-controller = { $controller } er behandlingsansvarlig. Spørsmål om personopplysninger kan du sende til
privacy-dpo = Kommunens personvernombud kan du nå på
privacy-what-heading = Hva vi behandler, og hvorfor
privacy-what = Vi behandler svarene du gir i skjemaet, filene du laster opp, og når du startet og sendte skjemaet. Noen skjema spør om fødselsnummer, og noen om helse eller økonomi, fordi saken ikke kan behandles uten.
privacy-purpose = Opplysningene brukes bare til å behandle saken skjemaet gjelder. De leveres til kommunens arkiv og saksbehandlingssystem og blir ikke brukt til markedsføring eller delt med andre enn dem som trenger dem for saken.
privacy-basis-heading = Rettslig grunnlag
privacy-basis = Det meste vi behandler, er nødvendig for å oppfylle kommunens plikter eller utøve offentlig myndighet etter loven som gjelder saken (personvernforordningen artikkel 6 nr. 1 bokstav c og e). Hvert skjema sier på sin forside hvilken lov det bygger på.
privacy-basis-special = Helseopplysninger og andre særlige kategorier behandles bare der loven om tjenesten gir grunnlag for det (artikkel 9 nr. 2).
privacy-basis-consent = Der et skjema ber om samtykke, står det ved avkrysningsboksen, og du kan trekke samtykket tilbake når som helst. Andre avkrysningsbokser er bekreftelser, ikke samtykke.
privacy-storage-heading = Hvor lenge vi lagrer
privacy-storage-drafts = Et skjema du har begynt på, men ikke sendt, slettes når det ikke er endret på { $days } dager, eller etter { $hours } timer hvis du ikke kom forbi første side.
privacy-storage-sent = Et sendt skjema blir arkivert etter arkivloven og oppbevart eller slettet etter kommunens regler for bevaring og kassasjon.
privacy-storage-account = Har du en konto, lagrer vi e-postadressen din, passordet som en kryptografisk sjekksum (aldri selve passordet), når du sist logget inn, og hvilke skjema du har påbegynt og sendt. Skjema du begynner på mens du er logget inn, lagres med kontoen til de slettes som andre utkast. Kontoen og utkastene slettes når du sletter kontoen under «Kontoen min»; sendte saker følger arkivreglene over.
privacy-email-copies = En kopi av kvitteringen på e-post inneholder bare skjemaets navn, referansenummeret og tidspunktet, aldri svarene dine.
privacy-cookies-heading = Informasjonskapsler
privacy-cookies = Sidene bruker to informasjonskapsler som er nødvendige for at tjenesten skal virke: én som holder på skjemaet du fyller ut og innloggingen din, og én som husker språket du valgte. Vi bruker ingen analyseverktøy og ingen informasjonskapsler fra andre.
privacy-rights-heading = Rettighetene dine
privacy-right-access = Du kan få vite hvilke opplysninger vi har om deg, og få en kopi.
privacy-right-rectify = Du kan be om at feil blir rettet.
privacy-right-erase = Du kan be om at opplysninger blir slettet eller begrenset, så langt arkivplikten tillater det.
privacy-right-object = Du kan protestere mot behandlingen når den bygger på offentlig myndighet.
privacy-rights-how = Skriv til oss for å bruke rettighetene dine:
privacy-complain = Mener du at vi behandler opplysningene dine i strid med reglene, kan du klage til Datatilsynet:
accessibility-title = Tilgjengelighetserklæring
accessibility-intro = { $tenant } vil at alle skal kunne bruke skjemaene på disse sidene, også med skjermleser, forstørrelse, tastatur alene eller uten JavaScript.
accessibility-standard-heading = Krav og status
accessibility-standard = Tjenesten er laget for å oppfylle WCAG 2.1 på nivå AA, som forskrift om universell utforming av IKT-løsninger krever.
accessibility-tested-heading = Slik tester vi
accessibility-tested = Hver sidetype testes automatisk med axe-core i en ekte nettleser på bokmål, nynorsk og engelsk, og hvert trinn i alle skjemaene på bokmål. Vi tester også veien gjennom et skjema med tastatur alene, på 320 piksler bredde, med 200 prosent forstørrelse og uten JavaScript.
accessibility-known-heading = Kjente mangler
accessibility-known-pdf = PDF-filene (kvitteringen og skjemaet for utfylling på papir) er merket for skjermlesere og følger PDF/UA-1 og PDF/A-2 så langt det kan kontrolleres automatisk her; en full kontroll med veraPDF gjenstår. Et tegn som ingen skrift på serveren har, vises i PDF-en som en tegnkode, som [U+E000]. Alt du fyller ut, ser du også på siden der du ser over svarene før du sender.
accessibility-known-forms = Automatiske tester finner ikke alle problemer. Møter du noe som ikke virker, vil vi gjerne vite det.
accessibility-feedback-heading = Si fra til oss
accessibility-feedback = Skriv til oss hvis noe på sidene er vanskelig å bruke, eller hvis du trenger innholdet i et annet format:
accessibility-authority = Tilsynet for universell utforming av ikt fører tilsyn med at kravene følges, og du kan melde fra om mangler til dem:
accessibility-official = Kommunens offisielle tilgjengelighetserklæring:

## Accounts, login and Mine saker
header-my-cases = Mine saker
login-title = Logg inn
login-intro = Logg inn med e-postadressen og passordet du registrerte deg med. Da kan du fortsette et påbegynt skjema fra en annen enhet og se sakene du har sendt.
login-submit = Logg inn
login-forgot = Glemt passordet?
login-no-account = Har du ingen konto?
login-register-intro = Du kan lage en konto med e-postadressen din.
login-register-link = Lag en konto
login-without = De fleste skjemaene kan du fylle ut uten å logge inn.
login-wrong = E-postadressen eller passordet er feil. Sjekk at du har skrevet begge riktig.
login-unverified = Du har ikke bekreftet e-postadressen ennå. Trykk på lenken i e-posten vi sendte da du lagde kontoen.
login-too-many = For mange mislykkede forsøk. Vent { $minutes ->
        [one] ett minutt
       *[other] { $minutes } minutter
    } og prøv igjen, eller be om nytt passord.
login-needed = Du må logge inn for å se denne siden.
login-ended = Du er logget ut fordi du ikke har gjort noe på en stund. Logg inn igjen for å fortsette. Det du har skrevet, er tatt vare på.
login-resend-title = Du er logget inn
login-resend-body = Svarene du sendte før du ble logget ut, er tatt vare på. Trykk på knappen for å sende dem.
login-resend-submit = Send svarene
logout-submit = Logg ut
logout-done = Du er logget ut.
account-email-label = E-postadresse
account-email-invalid = Skriv inn en gyldig e-postadresse, for eksempel navn@eksempel.no.
account-password-label = Passord
account-new-password-label = Nytt passord
password-hint = Minst { $min } tegn. Bruk gjerne flere ord som er lette å huske, men vanskelige å gjette.
password-too-short = Passordet må ha minst { $min } tegn.
password-too-long = Passordet kan ha høyst 256 tegn.
password-common = Dette passordet er for vanlig og lett å gjette. Velg et annet.
password-personal = Passordet kan ikke inneholde e-postadressen din eller navnet på kommunen.
register-title = Lag en konto
register-intro = Med en konto kan du lagre skjemaer underveis, fortsette fra en annen enhet og se sakene du har sendt.
register-email-hint = Vi sender en lenke til adressen, så du kan bekrefte at den er din.
register-privacy = Vi lagrer e-postadressen og passordet ditt (som en kryptografisk sjekksum) til du sletter kontoen. Les mer i
register-submit = Lag konto
register-have-account = Har du en konto? Logg inn
register-closed = Denne tjenesten kan ikke sende e-post, så du kan ikke lage en konto her. Du kan fylle ut skjemaene uten å logge inn.
register-sent-title = Sjekk e-posten din
register-sent-body = Vi har sendt en e-post til { $address }. Trykk på lenken i den for å fullføre.
register-sent-none = Kommer det ingen e-post innen noen minutter, sjekk søppelpostmappen og at adressen er riktig skrevet.
verified-title = E-postadressen er bekreftet
verified-body = Kontoen din er klar. Du kan nå logge inn.
link-dead-title = Lenken virker ikke
link-dead-body = Lenken er allerede brukt, den er for gammel, eller den er ikke kopiert helt. Be om en ny lenke.
forgot-title = Glemt passordet
forgot-intro = Skriv inn e-postadressen du registrerte deg med. Vi sender deg en lenke der du kan lage et nytt passord.
forgot-submit = Send lenke
forgot-sent-title = Sjekk e-posten din
forgot-sent-body = Hvis { $address } har en konto hos oss, har vi sendt en lenke dit. Lenken virker i { $minutes } minutter og kan brukes én gang.
reset-title = Lag nytt passord
reset-intro = Når du har lagret det nye passordet, blir du logget ut på alle enheter.
reset-submit = Lagre passordet
reset-done-title = Passordet er endret
reset-done-body = Du kan nå logge inn med det nye passordet.
account-title = Kontoen min
account-password-heading = Endre passord
account-password-submit = Endre passordet
account-password-wrong = Passordet er feil.
account-password-changed = Passordet er endret. Du er logget ut på andre enheter.
account-email-heading = Endre e-postadresse
account-new-email-label = Ny e-postadresse
account-new-email-hint = Vi sender en lenke til den nye adressen. Adressen endres når du trykker på den.
account-email-submit = Endre adressen
account-email-same = Dette er adressen du har nå.
account-email-sent = Vi har sendt en lenke til den nye adressen. Adressen endres når du trykker på den.
email-changed-title = E-postadressen er endret
email-changed-body = Kontoen din bruker nå { $address }.
account-delete-heading = Slett kontoen
account-delete-body = Utkastene dine og kontoen blir slettet. Saker du har sendt, blir ikke slettet: kommunen har dem og tar vare på dem etter arkivreglene.
account-delete-hint = Skriv passordet ditt for å bekrefte.
account-delete-submit = Slett kontoen
account-deleted-title = Kontoen er slettet
account-deleted-body = Kontoen og utkastene dine er slettet, og du er logget ut.
account-deleted-cases = { $count ->
        [0] Du hadde ingen innsendte saker.
        [one] Saken du har sendt, er hos kommunen og tas vare på etter arkivreglene.
       *[other] De { $count } sakene du har sendt, er hos kommunen og tas vare på etter arkivreglene.
    }
level-low = lavt (e-post og passord)
level-substantial = betydelig (for eksempel MinID)
level-high = høyt (for eksempel BankID)
stepup-title = Dette skjemaet krever sikrere innlogging
stepup-body = Skjemaet krever innlogging på nivå { $needed }. Du er logget inn på nivå { $have }.
stepup-none-here = Denne tjenesten tilbyr ennå ikke innlogging med ID-porten. Kontakt kommunen for å sende skjemaet på en annen måte.
stepup-kept = Det du har skrevet i skjemaet, er tatt vare på.
stepup-back = Tilbake til skjemaet
my-cases-title = Mine saker
my-cases-logged-in-as = Du er logget inn som { $email }.
my-cases-last-login = Forrige innlogging: { $when }.
my-cases-when = { $date } kl. { $time }
my-cases-drafts = Påbegynte skjemaer
my-cases-no-drafts = Du har ingen påbegynte skjemaer.
my-cases-browser-drafts = Påbegynt i denne nettleseren
my-cases-browser-drafts-intro = Disse skjemaene begynte du på før du logget inn. De er bare lagret i denne nettleseren. Knytt dem til kontoen for å fortsette fra en annen enhet.
my-cases-form = Skjema
my-cases-updated = Sist endret
my-cases-expires = Slettes
my-cases-actions = Handlinger
my-cases-continue = Fortsett:
my-cases-delete = Slett
my-cases-attach = Knytt til kontoen
my-cases-newer-version = Det finnes en nyere utgave av skjemaet. Du fortsetter på utgaven du begynte på.
my-cases-sent = Innsendte saker
my-cases-none-sent = Du har ikke sendt noe mens du var logget inn.
my-cases-reference = Referanse
my-cases-sent-at = Sendt
my-cases-status = Status
my-cases-deleted = Utkastet er slettet.
my-cases-attached = Utkastet er knyttet til kontoen din.
my-cases-has-draft = Du har allerede et påbegynt utkast av dette skjemaet på kontoen. Slett det først hvis du vil bruke det fra denne nettleseren.
case-title = Sak { $reference }
case-history = Historikk
status-received = Mottatt
status-in-progress = Under behandling
status-decided = Avgjort
mail-verify-subject = Bekreft e-postadressen din – { $municipality }
mail-verify-body = Hei!

    Noen har laget en konto hos { $municipality } med denne adressen. Trykk på lenken for å bekrefte at adressen er din:

    { $link }

    Lenken virker i ett døgn. Har du ikke laget en konto, kan du se bort fra e-posten. Denne e-posten kan ikke besvares.
mail-taken-subject = Du har allerede en konto – { $municipality }
mail-taken-body = Hei!

    Noen prøvde å lage en konto hos { $municipality } med denne adressen, men du har allerede en konto. Logg inn her:

    { $link }

    Har du glemt passordet, kan du lage et nytt her: { $forgot }

    Var det ikke deg, kan du se bort fra e-posten. Kontoen din er ikke endret.
mail-reset-subject = Lag nytt passord – { $municipality }
mail-reset-body = Hei!

    Noen ba om å lage nytt passord for kontoen din hos { $municipality }. Trykk på lenken for å gjøre det:

    { $link }

    Lenken kan brukes én gang og virker en kort stund. Ba du ikke om dette, kan du se bort fra e-posten. Passordet ditt er ikke endret.
mail-password-changed-subject = Passordet ditt er endret – { $municipality }
mail-password-changed-body = Hei!

    Passordet for kontoen din hos { $municipality } er endret. Var det ikke deg, lag et nytt passord med en gang: { $forgot }
mail-new-email-subject = Bekreft den nye e-postadressen – { $municipality }
mail-new-email-body = Hei!

    Noen ba om å bruke denne adressen på en konto hos { $municipality }. Trykk på lenken for å bekrefte:

    { $link }

    Lenken virker i ett døgn. Ba du ikke om dette, kan du se bort fra e-posten.
login-with = Logg inn med { $provider }
login-provider-intro = Logg inn med elektronisk ID. Første gang lager vi en konto til deg, knyttet til fødselsnummeret ditt.
login-password-heading = Eller logg inn med e-post og passord
stepup-login-again = Logg inn på nytt på riktig nivå, så kommer du tilbake til skjemaet.
level-unknown = ukjent
account-pid = fødselsnummer { $pid }
account-provider = elektronisk ID
oidc-failed-title = Innloggingen kunne ikke fullføres
oidc-unavailable = Innloggingstjenesten svarer ikke akkurat nå. Prøv igjen om litt.
oidc-refused = Vi kunne ikke bekrefte innloggingen. Det kan skje hvis du brukte en gammel lenke, gikk tilbake i nettleseren eller ventet for lenge. Prøv igjen.
oidc-nothing-changed = Du er ikke logget inn, og ingenting er endret.
oidc-try-again = Prøv å logge inn igjen
oidc-cancelled-title = Innloggingen ble avbrutt
oidc-cancelled-body = Du avbrøt innloggingen, eller innloggingstjenesten kunne ikke logge deg inn. Du er ikke logget inn.
account-profile-heading = Opplysninger om deg
account-profile-intro = Det du skriver her, blir fylt ut i skjemaer du starter mens du er logget inn. Du ser alltid svarene og kan endre dem i skjemaet.
account-profile-submit = Lagre opplysningene
account-profile-saved = Opplysningene er lagret.
profile-name = Navn
profile-phone = Telefonnummer
profile-street = Gateadresse
profile-postnummer = Postnummer
case-copy-heading = Send et nytt skjema
case-copy-body = Start et nytt skjema av samme slag, fylt ut med svarene fra denne saken. Du går gjennom alle stegene og kan endre svarene før du sender. Vedlegg må lastes opp på nytt.
case-copy-submit = Bruk svarene fra denne saken
my-cases-unread = { $count ->
        [one] 1 ny endring
       *[other] { $count } nye endringer
    }
my-cases-unread-total = { $count ->
        [one] Du har 1 endring i sakene dine som du ikke har sett.
       *[other] Du har { $count } endringer i sakene dine som du ikke har sett.
    }
case-message = Melding fra kommunen: { $message }
mail-notice-subject = Saken din { $reference } er oppdatert – { $municipality }
mail-notice-body = Hei!

    Saken din { $reference } ({ $form }) hos { $municipality } er oppdatert. Status nå: { $status }.

    Logg inn på Mine saker for å se hva som er nytt:

    { $link }

    Denne e-posten kan ikke besvares.
my-cases-elsewhere = I andre kommuner
my-cases-elsewhere-intro = Du har også saker i disse kommunene, som bruker den samme løsningen. Logg inn hos kommunen for å se dem.
my-cases-elsewhere-drafts = { $count ->
        [one] 1 påbegynt skjema
       *[other] { $count } påbegynte skjemaer
    }
my-cases-elsewhere-link = Mine saker hos { $municipality }
idle-notice = Du er logget inn. Av sikkerhetshensyn blir du logget ut kl. { $time } hvis du ikke går videre eller lagrer før det.
idle-soon = Du blir snart logget ut. Trykk på knappen for å lagre og fortsette.
idle-extend = Lagre og forbli innlogget
receipt-follow-ups = Dette kan du også søke om
receipt-follow-ups-intro = Noen av svarene dine blir fylt ut i det nye skjemaet. Du ser dem og kan endre dem før du sender.
receipt-follow-up-start = Start: { $form }
