# Nynorsk. Every id here must exist in nb.ftl and en.ftl too (a test checks it).

## Page frame
skip-link = Hopp til hovudinnhaldet
lang-switch-label = Vel språk
footer-contact = Kontakt kommunen
footer-email = E-post
footer-phone = Telefon
footer-about = Digitale tenester levert med Rådhus
breadcrumb-label = Du er her
breadcrumb-home = Framside
broadcast-label = Viktig melding

## Portal
portal-heading = Skjema og søknader
portal-intro = Her finn du dei digitale skjemaa til kommunen. Du kan søkje etter eit skjema eller bla i tema nedanfor.
portal-topics = Skjema etter tema
portal-no-forms = Kommunen har ingen skjema på nett enno.
search-label = Søk etter skjema
search-hint = Til dømes «barnehage», «parkering» eller «innsyn»
search-button = Søk
search-heading = Søk i skjema
search-count = { $count ->
    [one] Eitt skjema passar søket «{ $query }».
   *[other] { $count } skjema passar søket «{ $query }».
}
search-none = Ingen skjema passar søket «{ $query }». Sjekk skrivemåten, prøv eit anna ord, eller sjå alle skjemaa på framsida.
search-not-offered = { $tenant } har ikkje eit skjema på nett for «{ $query }». Desse skjemaa finst i skjemabiblioteket, men vert ikkje tilbodne her:
search-not-offered-contact = Kontakt kommunen for å høyre korleis du gjer det, eller sjå alle skjemaa kommunen tilbyr på framsida. E-post:
search-empty = Skriv inn eitt eller fleire ord for å søkje.
search-all-forms = Sjå alle skjema

## Topics
topic-barnehage = Barnehage
topic-skole-og-sfo = Skule og SFO
topic-helse-og-omsorg = Helse og omsorg
topic-bolig-og-okonomi = Bustad og økonomi
topic-bygg-og-eiendom = Bygg og eigedom
topic-vei-og-trafikk = Veg og trafikk
topic-vann-og-avfall = Vatn og avfall
topic-kultur-og-fritid = Kultur og fritid
topic-naering-og-bevilling = Næring og løyve
topic-politikk-og-innsyn = Politikk og innsyn
topic-arbeid = Jobb i kommunen
topic-kontakt = Kontakt kommunen

## Form landing page
form-about = Om tenesta
form-who = Kven kan bruke skjemaet
form-need = Dette treng du
form-handling-time = Sakshandsamingstid
form-handling-days = { $days ->
    [one] Vanlegvis innan éin dag
   *[other] Vanlegvis innan { $days } dagar
}
form-legal-basis = Lovgrunnlag
form-login = Innlogging
form-login-none = Du treng ikkje å logge inn.
form-login-optional = Du treng ikkje å logge inn for å sende skjemaet.
form-login-required-low = Krev innlogging, som ikkje er tilgjengeleg på denne løysinga enno.
form-login-required-substantial = Krev innlogging på tryggleiksnivå betydeleg, som ikkje er tilgjengeleg på denne løysinga enno.
form-login-required-high = Krev innlogging på tryggleiksnivå høgt, som ikkje er tilgjengeleg på denne løysinga enno.
form-read-more = Les meir
form-start = Start utfyllinga

## Errors
error-code = Feilkode: { $id }
error-code-help = Oppgi feilkoden om du kontaktar kommunen om feilen.
error-home = Gå til framsida
error-back = Gå tilbake og prøv igjen
error-400-title = Vi forstod ikkje førespurnaden
error-400-body = Adressa eller innhaldet som vart sendt, er ugyldig. Sjekk at adressa er skriven rett.
error-403-title = Skjemaet vart ikkje sendt
error-403-body = Vi kunne ikkje stadfeste at innsendinga kom frå denne nettsida. Det skjer oftast om sida var open lenge, eller om nettlesaren blokkerer informasjonskapslar.
error-403-resend-body = Det du fylte ut, er teke vare på. Trykk på knappen for å sende det på nytt.
error-403-warning = Om du ikkje nettopp fylte ut eit skjema på denne nettsida, skal du ikkje trykkje på knappen.
error-403-resend = Send på nytt
error-404-title = Vi fann ikkje sida
error-404-body = Adressa kan vere skriven feil, eller sida kan vere flytta eller fjerna.
error-405-title = Sida støttar ikkje denne handlinga
error-405-body = Gå til sida på vanleg måte og prøv igjen.
error-408-title = Det tok for lang tid
error-408-body = Nettlesaren brukte for lang tid på å sende innhaldet. Sjekk nettsambandet og prøv igjen.
error-413-title = Innhaldet er for stort
error-413-body = Det du sende, er større enn { $limit }. Gjer innhaldet mindre og prøv igjen.
error-415-title = Ukjend innhaldstype
error-415-body = Sida tek berre imot skjemadata sende frå nettlesaren.
error-431-title = Førespurnaden har for mykje tilleggsinformasjon
error-431-body = Nettlesaren sende for mykje tilleggsinformasjon, ofte for mange informasjonskapslar. Slett informasjonskapslane for denne nettsida og prøv igjen.
error-500-title = Noko gjekk gale hos oss
error-500-body = Det er ikkje din feil. Prøv igjen om litt. Ingenting av det du har sendt inn tidlegare, er tapt.
error-503-title = Tenesta er mellombels utilgjengeleg
error-503-body = Tenesta startar på nytt eller er under vedlikehald. Prøv igjen om eit augneblink.
error-429-title = Du har gjort dette for mange gonger
error-429-body = Vi tek imot eit avgrensa tal skjema, opplastingar og e-postkopiar frå kvar avsendar per time, for at tenesta skal verke for alle. Ingenting av det du sende no, er lagra. Det du har fylt ut tidlegare, er teke vare på. Prøv igjen om ein time, eller kontakt kommunen om det hastar.
error-507-title = Vi kan ikkje ta imot innsendingar akkurat no
error-507-body = Det du sende, er ikkje lagra og ikkje sendt. Det du fylte ut tidlegare, er teke vare på. Prøv igjen seinare, eller kontakt kommunen om det hastar.

## The way through a form
progress-label = Framdrift
progress-text = Steg { $current } av { $total }
progress-done = fullført
button-next = Neste
button-back-to-summary = Tilbake til svara
button-back = Tilbake
button-add-row = Legg til
button-remove-row = Fjern
row-label = Nr. { $n }
error-summary-title = Dette må rettast
hint-max-length = Du kan skrive opptil { $max } teikn.
error-prefix = Feil:
follow-up-if = Svar berre dersom du svarte { $answer } på «{ $question }».
follow-up-if-not = Svar berre dersom du ikkje svarte { $answer } på «{ $question }».
follow-up-generic = Svar berre dersom svara dine over tilseier det.
follow-up-text-if = Gjeld berre dersom du svarte { $answer } på «{ $question }».
follow-up-text-if-not = Gjeld berre dersom du ikkje svarte { $answer } på «{ $question }».
follow-up-text-generic = Gjeld berre dersom svara dine over tilseier det.
follow-up-answer = «{ $answer }»
follow-up-or = eller
hint-filled-from-postcode = Kan stå tomt: poststaden blir fylt ut frå postnummeret når du går vidare.
hint-consent-withdraw = Du kan når som helst trekkje samtykket tilbake ved å kontakte kommunen.
optional = (valfritt)
answer-yes = Ja
answer-no = Nei
select-placeholder = Vel …
address-street = Gateadresse
address-postnummer = Postnummer
address-poststed = Poststad
v-address-street = Skriv inn gateadressa i «{ $label }».
v-address-postnummer = Skriv inn postnummeret i «{ $label }».
v-address-poststed = Skriv inn poststaden i «{ $label }».
attachment-upload = Last opp fil
attachment-remove = Fjern
attachment-rules = Filtype: { $types }. Inntil { $max } MB per fil, høgst { $count } { $count ->
    [one] fil
   *[other] filer
}.
attachment-uploaded = Opplasta filer
attachment-choose = Vel fil
control-title = Dette manglar før du kan sende
control-intro = Nokre svar manglar eller må rettast. Vel ei lenkje for å gå rett til spørsmålet.
control-step = Steg: { $step }
check-title = Sjå over svara før du sender
check-intro = Kontroller at svara stemmer. Du kan endre dei før du sender.
check-change = Endre
check-not-answered = Ikkje svart
check-send-heading = Send skjemaet
check-declaration = Når du sender, stadfestar du at opplysningane er rette etter beste evne.
check-send = Send inn
receipt-title = Skjemaet er sendt
receipt-reference = Referansenummer
receipt-when = Sendt { $date } klokka { $time }
receipt-next = Kva skjer no
receipt-keep = Ta vare på referansenummeret. Oppgi det om du kontaktar oss om saka. Du kan skrive ut denne sida eller lagre ho som kvittering.
receipt-new = Fyll ut eit nytt skjema
draft-gone-title = Utfyllinga finst ikkje lenger
draft-gone-body = Utkastet er for gammalt, eller det vart starta i ein annan nettlesar. Start skjemaet på nytt.

## PDF and the receipt's copies
pdf-reference = Referanse
pdf-sent = Sendt
pdf-attachments = Vedlegg
pdf-title-submission = { $form } – sendt inn, referanse { $reference }
pdf-title-blank = { $form } – skjema til utfylling på papir
pdf-blank-confirm = Kryss av for å stadfeste
pdf-blank-sign-heading = Underskrift
pdf-blank-place-date = Stad og dato
pdf-blank-signature = Underskrift
pdf-blank-send-to = Send skjemaet til { $name }, { $address }.
pdf-blank-hand-in = Lever skjemaet til { $name } eller send det som vedlegg til { $email }.
pdf-blank-intro = Fyll ut skjemaet med blokkbokstavar og send det til kommunen. Det går raskare å fylle det ut på nett.
pdf-blank-subject = Skjema til utfylling på papir
pdf-blank-address = Gateadresse, postnummer og poststad
pdf-blank-tick-any = Kryss av for alle som passar.
pdf-blank-consent = Kryss av om du samtykkjer
pdf-blank-attach = Legg ved
receipt-pdf = Last ned kvitteringa som PDF
receipt-email-too-soon = Det er alt sendt ein e-post om denne kvitteringa den siste timen. Prøv igjen seinare.
confirm-title = Kopi av kvitteringa på e-post
confirm-body = Trykk på knappen for å få ein kopi av kvitteringa sendt til { $address }.
confirm-send = Send kopien
confirm-sent = Kopien blir send til { $address }. Han kjem vanlegvis innan nokre minutt.
confirm-too-soon = Det er alt sendt ein kopi av denne kvitteringa den siste timen.
confirm-invalid = Lenkja verkar ikkje. Ho kan vere for gammal (ho gjeld i eitt døgn) eller ufullstendig. Be om ein ny kopi frå kvitteringa.
mail-confirm-subject = Stadfest e-postadressa di: kvittering frå { $municipality }
mail-confirm-body = Hei!

    Nokon bad om ein kopi av kvitteringa for { $form } ({ $reference }) frå { $municipality } til denne adressa. Trykk på lenkja for å få kopien:

    { $link }

    Lenkja gjeld i eitt døgn. Bad du ikkje om dette, kan du sjå bort frå e-posten. Denne e-posten kan ikkje svarast på.
receipt-email-heading = Få ein kopi på e-post
receipt-email-label = E-postadresse
receipt-email-hint = Vi sender først ein e-post med ei lenkje, så du kan stadfeste at adressa er di. Kopien inneheld namnet på skjemaet, referansenummeret og tidspunktet, ikkje svara dine. Last ned PDF-en over om du vil ta vare på svara.
receipt-email-send = Send kopi
receipt-email-sent = Vi har sendt ein e-post til { $address }. Trykk på lenkja i han for å få kopien. Han kjem vanlegvis innan nokre minutt.
form-blank-pdf = Skjema til utfylling på papir (PDF)
receipt-email-too-many = Det er alt sendt { $max } kopiar av denne kvitteringa.

## E-mail
mail-receipt-subject = Kvittering: { $form } ({ $reference })
mail-receipt-body = Hei!

    Du sende { $form } til { $municipality } { $sent }. Referansenummeret er { $reference }.

    Oppgi referansenummeret om du kontaktar kommunen om saka. Svara dine blir ikkje sende på e-post. Du finn tenestene til kommunen på { $link }. Denne e-posten kan ikkje svarast på.
mail-archive-subject = { $form } – { $reference }
mail-archive-body = Ny innsending frå innbyggjarportalen til { $municipality }: { $form }, referanse { $reference }. Svara ligg ved som PDF og XML, saman med eventuelle vedlegg.

# Access and form versions
form-login-needed-note = Du må logge inn for å fylle ut dette skjemaet. Du kan logge inn med e-postadressa og passordet ditt når du byrjar.
form-login-unavailable = Dette skjemaet krev innlogging med ID-porten (MinID, BankID eller liknande). Den innlogginga er ikkje tilgjengeleg på denne løysinga enno, så du kan ikkje fylle ut skjemaet her. Last ned skjemaet på papir, eller kontakt kommunen.
step-not-saved = Svara på denne sida vart ikkje lagra, fordi vi har ein feil hos oss akkurat no. Det du skreiv, står her framleis. Prøv å trykkje «Neste» igjen om litt.
form-version-kept = Skjemaet er endra sidan du byrja. Du held fram på den versjonen du starta på, så ingenting av det du har skrive, går tapt.
error-403-login-title = Innlogginga skjemaet krev, er ikkje tilgjengeleg
error-403-login-body = Dette skjemaet krev innlogging med ID-porten, og den innlogginga er ikkje tilgjengeleg på denne løysinga enno. Last ned skjemaet på papir frå sida til skjemaet, eller kontakt kommunen.
error-403-access-title = Du har ikkje tilgang
error-403-access-body = Denne sida er ikkje open for deg.

## Privacy and accessibility statements (footer of every page)
footer-privacy = Personvernerklæring
footer-accessibility = Tilgjengelegheitserklæring
privacy-title = Personvernerklæring
privacy-intro = Her står det korleis { $controller } handsamar personopplysningane du gjev når du fyller ut og sender skjema på desse sidene.
privacy-controller-heading = Kven som er ansvarleg
privacy-controller = { $controller } er behandlingsansvarleg. Spørsmål om personopplysningar kan du sende til
privacy-dpo = Personvernombodet i kommunen kan du nå på
privacy-what-heading = Kva vi handsamar, og kvifor
privacy-what = Vi handsamar svara du gjev i skjemaet, filene du lastar opp, og når du starta og sende skjemaet. Nokre skjema spør om fødselsnummer, og nokre om helse eller økonomi, fordi saka ikkje kan handsamast utan.
privacy-purpose = Opplysningane vert berre brukte til å handsame saka skjemaet gjeld. Dei vert leverte til arkivet og saksbehandlingssystemet i kommunen og vert ikkje brukte til marknadsføring eller delte med andre enn dei som treng dei for saka.
privacy-basis-heading = Rettsleg grunnlag
privacy-basis = Det meste vi handsamar, er naudsynt for å oppfylle pliktene til kommunen eller utøve offentleg styresmakt etter lova som gjeld saka (personvernforordninga artikkel 6 nr. 1 bokstav c og e). Kvart skjema seier på framsida si kva lov det byggjer på.
privacy-basis-special = Helseopplysningar og andre særlege kategoriar vert berre handsama der lova om tenesta gjev grunnlag for det (artikkel 9 nr. 2).
privacy-basis-consent = Der eit skjema ber om samtykke, står det ved avkryssingsboksen, og du kan trekkje samtykket tilbake når som helst. Andre avkryssingsboksar er stadfestingar, ikkje samtykke.
privacy-storage-heading = Kor lenge vi lagrar
privacy-storage-drafts = Eit skjema du har byrja på, men ikkje sendt, vert sletta når det ikkje er endra på { $days } dagar, eller etter { $hours } timar dersom du ikkje kom forbi den første sida.
privacy-storage-sent = Eit sendt skjema vert arkivert etter arkivlova og oppbevart eller sletta etter reglane i kommunen for bevaring og kassasjon.
privacy-storage-account = Har du ein konto, lagrar vi e-postadressa di, passordet som ein kryptografisk sjekksum (aldri sjølve passordet), når du sist logga inn, og kva skjema du har byrja på og sendt. Skjema du byrjar på medan du er logga inn, vert lagra med kontoen til dei vert sletta som andre utkast. Kontoen og utkasta vert sletta når du slettar kontoen under «Kontoen min»; sende saker følgjer arkivreglane over.
privacy-email-copies = Ein kopi av kvitteringa på e-post inneheld berre namnet på skjemaet, referansenummeret og tidspunktet, aldri svara dine.
privacy-cookies-heading = Informasjonskapslar
privacy-cookies = Sidene brukar to informasjonskapslar som er naudsynte for at tenesta skal verke: éin som held på skjemaet du fyller ut og innlogginga di, og éin som hugsar språket du valde. Vi brukar ingen analyseverktøy og ingen informasjonskapslar frå andre.
privacy-rights-heading = Rettane dine
privacy-right-access = Du kan få vite kva opplysningar vi har om deg, og få ein kopi.
privacy-right-rectify = Du kan be om at feil vert retta.
privacy-right-erase = Du kan be om at opplysningar vert sletta eller avgrensa, så langt arkivplikta tillèt det.
privacy-right-object = Du kan protestere mot handsaminga når ho byggjer på offentleg styresmakt.
privacy-rights-how = Skriv til oss for å bruke rettane dine:
privacy-complain = Meiner du at vi handsamar opplysningane dine i strid med reglane, kan du klage til Datatilsynet:
accessibility-title = Tilgjengelegheitserklæring
accessibility-intro = { $tenant } vil at alle skal kunne bruke skjemaa på desse sidene, også med skjermlesar, forstørring, berre tastatur eller utan JavaScript.
accessibility-standard-heading = Krav og status
accessibility-standard = Tenesta er laga for å oppfylle WCAG 2.1 på nivå AA, som forskrifta om universell utforming av IKT-løysingar krev.
accessibility-tested-heading = Slik testar vi
accessibility-tested = Kvar sidetype vert testa automatisk med axe-core i ein ekte nettlesar på bokmål, nynorsk og engelsk, og kvart steg i alle skjemaa på bokmål. Vi testar også vegen gjennom eit skjema med berre tastatur, på 320 pikslar breidd, med 200 prosent forstørring og utan JavaScript.
accessibility-known-heading = Kjende manglar
accessibility-known-pdf = PDF-filene (kvitteringa og skjemaet for utfylling på papir) er merkte for skjermlesarar og følgjer PDF/UA-1 og PDF/A-2 så langt det kan kontrollerast automatisk her; ein full kontroll med veraPDF står att. Eit teikn som inga skrift på tenaren har, vert vist i PDF-en som ein teiknkode, som [U+E000]. Alt du fyller ut, ser du også på sida der du ser over svara før du sender.
accessibility-known-forms = Automatiske testar finn ikkje alle problem. Møter du noko som ikkje verkar, vil vi gjerne vite det.
accessibility-feedback-heading = Sei frå til oss
accessibility-feedback = Skriv til oss dersom noko på sidene er vanskeleg å bruke, eller dersom du treng innhaldet i eit anna format:
accessibility-authority = Tilsynet for universell utforming av ikt fører tilsyn med at krava vert følgde, og du kan melde frå om manglar til dei:
accessibility-official = Den offisielle tilgjengelegheitserklæringa til kommunen:

## Accounts, login and Mine saker
header-my-cases = Mine saker
login-title = Logg inn
login-intro = Logg inn med e-postadressa og passordet du registrerte deg med. Då kan du halde fram med eit påbyrja skjema frå ei anna eining og sjå sakene du har sendt.
login-submit = Logg inn
login-forgot = Gløymt passordet?
login-no-account = Har du ingen konto?
login-register-intro = Du kan lage ein konto med e-postadressa di.
login-register-link = Lag ein konto
login-without = Dei fleste skjemaa kan du fylle ut utan å logge inn.
login-wrong = E-postadressa eller passordet er feil. Sjekk at du har skrive begge rett.
login-unverified = Du har ikkje stadfesta e-postadressa enno. Trykk på lenkja i e-posten vi sende då du laga kontoen.
login-too-many = For mange mislukka forsøk. Vent { $minutes ->
        [one] eitt minutt
       *[other] { $minutes } minutt
    } og prøv igjen, eller be om nytt passord.
login-needed = Du må logge inn for å sjå denne sida.
login-ended = Du er logga ut fordi du ikkje har gjort noko på ei stund. Logg inn igjen for å halde fram. Det du har skrive, er teke vare på.
login-resend-title = Du er logga inn
login-resend-body = Svara du sende før du vart logga ut, er tekne vare på. Trykk på knappen for å sende dei.
login-resend-submit = Send svara
logout-submit = Logg ut
logout-done = Du er logga ut.
account-email-label = E-postadresse
account-email-invalid = Skriv inn ei gyldig e-postadresse, til dømes namn@eksempel.no.
account-password-label = Passord
account-new-password-label = Nytt passord
password-hint = Minst { $min } teikn. Bruk gjerne fleire ord som er lette å hugse, men vanskelege å gjette.
password-too-short = Passordet må ha minst { $min } teikn.
password-too-long = Passordet kan ha høgst 256 teikn.
password-common = Dette passordet er for vanleg og lett å gjette. Vel eit anna.
password-personal = Passordet kan ikkje innehalde e-postadressa di eller namnet på kommunen.
register-title = Lag ein konto
register-intro = Med ein konto kan du lagre skjema undervegs, halde fram frå ei anna eining og sjå sakene du har sendt.
register-email-hint = Vi sender ei lenkje til adressa, så du kan stadfeste at ho er di.
register-privacy = Vi lagrar e-postadressa og passordet ditt (som ein kryptografisk sjekksum) til du slettar kontoen. Les meir i
register-submit = Lag konto
register-have-account = Har du ein konto? Logg inn
register-closed = Denne tenesta kan ikkje sende e-post, så du kan ikkje lage ein konto her. Du kan fylle ut skjemaa utan å logge inn.
register-sent-title = Sjekk e-posten din
register-sent-body = Vi har sendt ein e-post til { $address }. Trykk på lenkja i han for å fullføre.
register-sent-none = Kjem det ingen e-post innan nokre minutt, sjekk søppelpostmappa og at adressa er rett skriven.
verified-title = E-postadressa er stadfesta
verified-body = Kontoen din er klar. Du kan no logge inn.
link-dead-title = Lenkja verkar ikkje
link-dead-body = Lenkja er alt brukt, ho er for gammal, eller ho er ikkje kopiert heilt. Be om ei ny lenkje.
forgot-title = Gløymt passordet
forgot-intro = Skriv inn e-postadressa du registrerte deg med. Vi sender deg ei lenkje der du kan lage eit nytt passord.
forgot-submit = Send lenkje
forgot-sent-title = Sjekk e-posten din
forgot-sent-body = Viss { $address } har ein konto hos oss, har vi sendt ei lenkje dit. Lenkja verkar i { $minutes } minutt og kan brukast éin gong.
reset-title = Lag nytt passord
reset-intro = Når du har lagra det nye passordet, vert du logga ut på alle einingar.
reset-submit = Lagre passordet
reset-done-title = Passordet er endra
reset-done-body = Du kan no logge inn med det nye passordet.
account-title = Kontoen min
account-password-heading = Endre passord
account-password-submit = Endre passordet
account-password-wrong = Passordet er feil.
account-password-changed = Passordet er endra. Du er logga ut på andre einingar.
account-email-heading = Endre e-postadresse
account-new-email-label = Ny e-postadresse
account-new-email-hint = Vi sender ei lenkje til den nye adressa. Adressa vert endra når du trykkjer på henne.
account-email-submit = Endre adressa
account-email-same = Dette er adressa du har no.
account-email-sent = Vi har sendt ei lenkje til den nye adressa. Adressa vert endra når du trykkjer på henne.
email-changed-title = E-postadressa er endra
email-changed-body = Kontoen din brukar no { $address }.
account-delete-heading = Slett kontoen
account-delete-body = Utkasta dine og kontoen vert sletta. Saker du har sendt, vert ikkje sletta: kommunen har dei og tek vare på dei etter arkivreglane.
account-delete-hint = Skriv passordet ditt for å stadfeste.
account-delete-submit = Slett kontoen
account-deleted-title = Kontoen er sletta
account-deleted-body = Kontoen og utkasta dine er sletta, og du er logga ut.
account-deleted-cases = { $count ->
        [0] Du hadde ingen innsende saker.
        [one] Saka du har sendt, er hos kommunen og vert teken vare på etter arkivreglane.
       *[other] Dei { $count } sakene du har sendt, er hos kommunen og vert tekne vare på etter arkivreglane.
    }
level-low = lågt (e-post og passord)
level-substantial = betydeleg (til dømes MinID)
level-high = høgt (til dømes BankID)
stepup-title = Dette skjemaet krev sikrare innlogging
stepup-body = Skjemaet krev innlogging på nivå { $needed }. Du er logga inn på nivå { $have }.
stepup-none-here = Denne tenesta tilbyr enno ikkje innlogging med ID-porten. Kontakt kommunen for å sende skjemaet på ein annan måte.
stepup-kept = Det du har skrive i skjemaet, er teke vare på.
stepup-back = Tilbake til skjemaet
my-cases-title = Mine saker
my-cases-logged-in-as = Du er logga inn som { $email }.
my-cases-last-login = Førre innlogging: { $when }.
my-cases-when = { $date } kl. { $time }
my-cases-drafts = Påbyrja skjema
my-cases-no-drafts = Du har ingen påbyrja skjema.
my-cases-browser-drafts = Påbyrja i denne nettlesaren
my-cases-browser-drafts-intro = Desse skjemaa byrja du på før du logga inn. Dei er berre lagra i denne nettlesaren. Knyt dei til kontoen for å halde fram frå ei anna eining.
my-cases-form = Skjema
my-cases-updated = Sist endra
my-cases-expires = Vert sletta
my-cases-actions = Handlingar
my-cases-continue = Hald fram:
my-cases-delete = Slett
my-cases-attach = Knyt til kontoen
my-cases-newer-version = Det finst ei nyare utgåve av skjemaet. Du held fram på utgåva du byrja på.
my-cases-sent = Innsende saker
my-cases-none-sent = Du har ikkje sendt noko medan du var logga inn.
my-cases-reference = Referanse
my-cases-sent-at = Sendt
my-cases-status = Status
my-cases-deleted = Utkastet er sletta.
my-cases-attached = Utkastet er knytt til kontoen din.
my-cases-has-draft = Du har alt eit påbyrja utkast av dette skjemaet på kontoen. Slett det først viss du vil bruke det frå denne nettlesaren.
case-title = Sak { $reference }
case-history = Historikk
status-received = Motteken
status-in-progress = Under handsaming
status-decided = Avgjord
mail-verify-subject = Stadfest e-postadressa di – { $municipality }
mail-verify-body = Hei!

    Nokon har laga ein konto hos { $municipality } med denne adressa. Trykk på lenkja for å stadfeste at adressa er di:

    { $link }

    Lenkja verkar i eitt døgn. Har du ikkje laga ein konto, kan du sjå bort frå e-posten. Denne e-posten kan ikkje svarast på.
mail-taken-subject = Du har alt ein konto – { $municipality }
mail-taken-body = Hei!

    Nokon prøvde å lage ein konto hos { $municipality } med denne adressa, men du har alt ein konto. Logg inn her:

    { $link }

    Har du gløymt passordet, kan du lage eit nytt her: { $forgot }

    Var det ikkje deg, kan du sjå bort frå e-posten. Kontoen din er ikkje endra.
mail-reset-subject = Lag nytt passord – { $municipality }
mail-reset-body = Hei!

    Nokon bad om å lage nytt passord for kontoen din hos { $municipality }. Trykk på lenkja for å gjere det:

    { $link }

    Lenkja kan brukast éin gong og verkar ei kort stund. Bad du ikkje om dette, kan du sjå bort frå e-posten. Passordet ditt er ikkje endra.
mail-password-changed-subject = Passordet ditt er endra – { $municipality }
mail-password-changed-body = Hei!

    Passordet for kontoen din hos { $municipality } er endra. Var det ikkje deg, lag eit nytt passord med ein gong: { $forgot }
mail-new-email-subject = Stadfest den nye e-postadressa – { $municipality }
mail-new-email-body = Hei!

    Nokon bad om å bruke denne adressa på ein konto hos { $municipality }. Trykk på lenkja for å stadfeste:

    { $link }

    Lenkja verkar i eitt døgn. Bad du ikkje om dette, kan du sjå bort frå e-posten.
login-with = Logg inn med { $provider }
login-provider-intro = Logg inn med elektronisk ID. Første gongen lagar vi ein konto til deg, knytt til fødselsnummeret ditt.
login-password-heading = Eller logg inn med e-post og passord
stepup-login-again = Logg inn på nytt på rett nivå, så kjem du tilbake til skjemaet.
level-unknown = ukjent
account-pid = fødselsnummer { $pid }
account-provider = elektronisk ID
oidc-failed-title = Innlogginga kunne ikkje fullførast
oidc-unavailable = Innloggingstenesta svarar ikkje akkurat no. Prøv igjen om litt.
oidc-refused = Vi kunne ikkje stadfeste innlogginga. Det kan skje viss du brukte ei gammal lenkje, gjekk tilbake i nettlesaren eller venta for lenge. Prøv igjen.
oidc-nothing-changed = Du er ikkje logga inn, og ingenting er endra.
oidc-try-again = Prøv å logge inn igjen
oidc-cancelled-title = Innlogginga vart avbroten
oidc-cancelled-body = Du avbraut innlogginga, eller innloggingstenesta kunne ikkje logge deg inn. Du er ikkje logga inn.
account-profile-heading = Opplysningar om deg
account-profile-intro = Det du skriv her, vert fylt ut i skjema du byrjar på medan du er logga inn. Du ser alltid svara og kan endre dei i skjemaet.
account-profile-submit = Lagre opplysningane
account-profile-saved = Opplysningane er lagra.
profile-name = Namn
profile-phone = Telefonnummer
profile-street = Gateadresse
profile-postnummer = Postnummer
case-copy-heading = Send eit nytt skjema
case-copy-body = Byrja på eit nytt skjema av same slag, fylt ut med svara frå denne saka. Du går gjennom alle stega og kan endre svara før du sender. Vedlegg må lastast opp på nytt.
case-copy-submit = Bruk svara frå denne saka
my-cases-unread = { $count ->
        [one] 1 ny endring
       *[other] { $count } nye endringar
    }
my-cases-unread-total = { $count ->
        [one] Du har 1 endring i sakene dine som du ikkje har sett.
       *[other] Du har { $count } endringar i sakene dine som du ikkje har sett.
    }
case-message = Melding frå kommunen: { $message }
mail-notice-subject = Saka di { $reference } er oppdatert – { $municipality }
mail-notice-body = Hei!

    Saka di { $reference } ({ $form }) hos { $municipality } er oppdatert. Status no: { $status }.

    Logg inn på Mine saker for å sjå kva som er nytt:

    { $link }

    Denne e-posten kan ikkje svarast på.
my-cases-elsewhere = I andre kommunar
my-cases-elsewhere-intro = Du har òg saker i desse kommunane, som brukar den same løysinga. Logg inn hos kommunen for å sjå dei.
my-cases-elsewhere-drafts = { $count ->
        [one] 1 påbyrja skjema
       *[other] { $count } påbyrja skjema
    }
my-cases-elsewhere-link = Mine saker hos { $municipality }
idle-notice = Du er logga inn. Av omsyn til tryggleiken vert du logga ut kl. { $time } viss du ikkje går vidare eller lagrar før det.
idle-soon = Du vert snart logga ut. Trykk på knappen for å lagre og halde fram.
idle-extend = Lagre og ver innlogga
receipt-follow-ups = Dette kan du òg søkje om
receipt-follow-ups-intro = Nokre av svara dine vert fylte ut i det nye skjemaet. Du ser dei og kan endre dei før du sender.
receipt-follow-up-start = Byrja: { $form }
