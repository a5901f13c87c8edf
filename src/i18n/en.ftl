# English. Every id here must exist in nb.ftl and nn.ftl too (a test checks it).

## Page frame
skip-link = Skip to main content
lang-switch-label = Choose language
footer-contact = Contact the municipality
footer-email = Email
footer-phone = Phone
footer-about = Digital services provided with Rådhus
breadcrumb-label = You are here
breadcrumb-home = Home
broadcast-label = Important message

## Portal
portal-heading = Forms and applications
portal-intro = Here you find the municipality's online forms. Search for a form or browse the topics below.
portal-topics = Forms by topic
portal-no-forms = The municipality has no online forms yet.
search-label = Search for a form
search-hint = For example "kindergarten", "parking" or "access to documents"
search-button = Search
search-heading = Search forms
search-count = { $count ->
    [one] One form matches "{ $query }".
   *[other] { $count } forms match "{ $query }".
}
search-none = No forms match "{ $query }". Check the spelling, try another word, or see all forms on the home page.
search-not-offered = { $tenant } has no online form for “{ $query }”. These forms are in the form library but are not offered here:
search-not-offered-contact = Contact the municipality to ask how to do it, or see every form the municipality offers on the front page. Email:
search-empty = Enter one or more words to search.
search-all-forms = See all forms

## Topics
topic-barnehage = Kindergarten
topic-skole-og-sfo = School and after-school care
topic-helse-og-omsorg = Health and care
topic-bolig-og-okonomi = Housing and money
topic-bygg-og-eiendom = Building and property
topic-vei-og-trafikk = Roads and traffic
topic-vann-og-avfall = Water and waste
topic-kultur-og-fritid = Culture and leisure
topic-naering-og-bevilling = Business and licences
topic-politikk-og-innsyn = Politics and access to information
topic-arbeid = Working for the municipality
topic-kontakt = Contact the municipality

## Form landing page
form-about = About the service
form-who = Who can use this form
form-need = What you need
form-handling-time = Processing time
form-handling-days = { $days ->
    [one] Usually within one day
   *[other] Usually within { $days } days
}
form-legal-basis = Legal basis
form-login = Signing in
form-login-none = You do not need to sign in.
form-login-optional = You do not need to sign in to send this form.
form-login-required-low = Signing in is required, and it is not available on this service yet.
form-login-required-substantial = Signing in at the substantial level is required, and it is not available on this service yet.
form-login-required-high = Signing in at the high level is required, and it is not available on this service yet.
form-read-more = Read more
form-start = Start now

## Errors
error-code = Error code: { $id }
error-code-help = Give this code if you contact the municipality about the problem.
error-home = Go to the home page
error-back = Go back and try again
error-400-title = We could not understand the request
error-400-body = The address or the content that was sent is not valid. Check that the address is spelled correctly.
error-403-title = The form was not sent
error-403-body = We could not confirm that what was sent came from this website. This usually happens when the page was open for a long time, or when the browser blocks cookies.
error-403-resend-body = What you filled in has been kept. Press the button to send it again.
error-403-warning = If you did not just fill in a form on this website, do not press the button.
error-403-resend = Send again
error-404-title = Page not found
error-404-body = The address may be spelled wrong, or the page may have been moved or removed.
error-405-title = The page does not support this action
error-405-body = Go to the page the usual way and try again.
error-408-title = It took too long
error-408-body = The browser took too long to send the content. Check your connection and try again.
error-413-title = The content is too large
error-413-body = What you sent is larger than { $limit }. Make it smaller and try again.
error-415-title = Unknown content type
error-415-body = This page only accepts form data sent from the browser.
error-431-title = The request carries too much extra information
error-431-body = The browser sent too much extra information, often too many cookies. Delete the cookies for this website and try again.
error-500-title = Something went wrong on our side
error-500-body = It is not your fault. Please try again in a moment. Nothing you have sent in before has been lost.
error-503-title = The service is temporarily unavailable
error-503-body = The service is restarting or under maintenance. Try again in a moment.
error-429-title = You have done this too many times
error-429-body = We accept a limited number of forms, uploads and e-mail copies from each sender per hour, so that the service works for everyone. Nothing of what you just sent has been saved. What you filled in before has been kept. Try again in an hour, or contact the municipality if it is urgent.
error-507-title = We cannot take submissions right now
error-507-body = What you sent has not been saved or sent. What you filled in before is kept. Try again later, or contact the municipality if it is urgent.

## The way through a form
progress-label = Progress
progress-text = Step { $current } of { $total }
progress-done = completed
button-next = Continue
button-back-to-summary = Back to your answers
button-back = Back
button-add-row = Add another
button-remove-row = Remove
row-label = No. { $n }
error-summary-title = There is a problem
hint-max-length = You can write up to { $max } characters.
error-prefix = Error:
follow-up-if = Only answer this if you answered { $answer } to “{ $question }”.
follow-up-if-not = Only answer this if you did not answer { $answer } to “{ $question }”.
follow-up-generic = Only answer this if your answers above call for it.
follow-up-text-if = This applies only if you answered { $answer } to “{ $question }”.
follow-up-text-if-not = This applies only if you did not answer { $answer } to “{ $question }”.
follow-up-text-generic = This applies only if your answers above call for it.
follow-up-answer = “{ $answer }”
follow-up-or = or
hint-filled-from-postcode = You can leave this blank: the town is filled in from the postcode when you continue.
hint-consent-withdraw = You can withdraw your consent at any time by contacting the municipality.
optional = (optional)
answer-yes = Yes
answer-no = No
select-placeholder = Choose …
address-street = Street address
address-postnummer = Postcode
address-poststed = Town
v-address-street = Enter the street address in “{ $label }”.
v-address-postnummer = Enter the postcode in “{ $label }”.
v-address-poststed = Enter the town in “{ $label }”.
attachment-upload = Upload file
attachment-remove = Remove
attachment-rules = File type: { $types }. Up to { $max } MB per file, at most { $count } { $count ->
    [one] file
   *[other] files
}.
attachment-uploaded = Uploaded files
attachment-choose = Choose file
control-title = Complete these before you send
control-intro = Some answers are missing or need correcting. Choose a link to go straight to the question.
control-step = Step: { $step }
check-title = Check your answers before sending
check-intro = Make sure your answers are right. You can change them before you send.
check-change = Change
check-not-answered = Not answered
check-send-heading = Send the form
check-declaration = By sending, you confirm that the information is correct to the best of your knowledge.
check-send = Send
receipt-title = Form sent
receipt-reference = Your reference number
receipt-when = Sent on { $date } at { $time }
receipt-next = What happens next
receipt-keep = Keep the reference number. Give it if you contact us about this case. You can print this page or save it as your receipt.
receipt-new = Fill in another form
draft-gone-title = This form is no longer in progress
draft-gone-body = The draft is too old, or it was started in another browser. Start the form again.

## PDF and the receipt's copies
pdf-reference = Reference
pdf-sent = Sent
pdf-attachments = Attachments
pdf-title-submission = { $form } – submitted, reference { $reference }
pdf-title-blank = { $form } – form for filling in on paper
pdf-blank-confirm = Tick to confirm
pdf-blank-sign-heading = Signature
pdf-blank-place-date = Place and date
pdf-blank-signature = Signature
pdf-blank-send-to = Send the form to { $name }, { $address }.
pdf-blank-hand-in = Hand the form in to { $name } or send it as an attachment to { $email }.
pdf-blank-intro = Fill in the form in block capitals and send it to the municipality. It is quicker to fill it in online.
pdf-blank-subject = Form for filling in on paper
pdf-blank-address = Street address, postcode and town
pdf-blank-tick-any = Tick all that apply.
pdf-blank-consent = Tick if you agree
pdf-blank-attach = Attach
receipt-pdf = Download the receipt as a PDF
receipt-email-too-soon = An e-mail about this receipt has already been sent in the last hour. Try again later.
confirm-title = A copy of the receipt by e-mail
confirm-body = Press the button to have a copy of the receipt sent to { $address }.
confirm-send = Send the copy
confirm-sent = The copy is being sent to { $address }. It usually arrives within a few minutes.
confirm-too-soon = A copy of this receipt has already been sent in the last hour.
confirm-invalid = This link does not work. It may be too old (it works for one day) or incomplete. Ask for a new copy from the receipt.
mail-confirm-subject = Confirm your e-mail address: a receipt from { $municipality }
mail-confirm-body = Hello,

    Someone asked for a copy of the receipt for { $form } ({ $reference }) from { $municipality } to be sent to this address. Follow the link to get the copy:

    { $link }

    The link works for one day. If you did not ask for this, you can ignore this e-mail. Replies to this e-mail are not read.
receipt-email-heading = Get a copy by email
receipt-email-label = Email address
receipt-email-hint = We first send an e-mail with a link, so that you can confirm the address is yours. The copy gives the form’s name, the reference number and the time, not your answers. Download the PDF above if you want to keep your answers.
receipt-email-send = Send copy
receipt-email-sent = We have sent an e-mail to { $address }. Follow the link in it to get the copy. It usually arrives within a few minutes.
form-blank-pdf = Form for filling in on paper (PDF)
receipt-email-too-many = { $max } copies of this receipt have already been sent.

## E-mail
mail-receipt-subject = Receipt: { $form } ({ $reference })
mail-receipt-body = Hello,

    You sent { $form } to { $municipality } on { $sent }. The reference number is { $reference }.

    Give the reference number if you contact the municipality about it. Your answers are not sent by e-mail. You find the municipality’s services at { $link }. Replies to this e-mail are not read.
mail-archive-subject = { $form } – { $reference }
mail-archive-body = New submission from the { $municipality } citizens' portal: { $form }, reference { $reference }. The answers are attached as PDF and XML, with any attachments.

# Access and form versions
form-login-needed-note = You need to log in to fill in this form. You can log in with your e-mail address and password when you start.
form-login-unavailable = This form needs you to sign in with ID-porten (MinID, BankID or similar). That sign-in is not available on this service yet, so you cannot fill the form in here. Download the paper form, or contact the municipality.
step-not-saved = Your answers on this page were not saved, because something is wrong on our side just now. What you typed is still here. Try pressing “Continue” again in a little while.
form-version-kept = This form has changed since you started. You are continuing on the version you started with, so nothing you have typed is lost.
error-403-login-title = Sign-in is not available for this form
error-403-login-body = This form needs you to sign in with ID-porten, and that sign-in is not available on this service yet. Download the paper form from the form's page, or contact the municipality.
error-403-access-title = You do not have access
error-403-access-body = This page is not open to you.

## Privacy and accessibility statements (footer of every page)
footer-privacy = Privacy statement
footer-accessibility = Accessibility statement
privacy-title = Privacy statement
privacy-intro = How { $controller } handles the personal data you give when you fill in and send forms on these pages.
privacy-controller-heading = Who is responsible
privacy-controller = { $controller } is the data controller. Questions about personal data can be sent to
privacy-dpo = You can reach the municipality's data protection officer at
privacy-what-heading = What we handle, and why
privacy-what = We handle the answers you give in a form, the files you upload, and when you started and sent the form. Some forms ask for a national identity number, and some about health or finances, because the matter cannot be handled without them.
privacy-purpose = The information is used only to handle the matter the form is about. It goes to the municipality's archive and case handling system, and it is not used for marketing or shared with anyone who does not need it for the matter.
privacy-basis-heading = Legal basis
privacy-basis = Most of what we handle is needed to meet the municipality's duties or to exercise official authority under the act that governs the matter (GDPR Article 6(1)(c) and (e)). Each form names the act it is based on on its start page.
privacy-basis-special = Health data and other special categories are handled only where the act governing the service allows it (Article 9(2)).
privacy-basis-consent = Where a form asks for consent, it says so beside the tick box, and you can withdraw your consent at any time. Other tick boxes are confirmations, not consent.
privacy-storage-heading = How long we keep it
privacy-storage-drafts = A form you have started but not sent is deleted when it has not been changed for { $days } days, or after { $hours } hours if you did not get past the first page.
privacy-storage-sent = A form you have sent is archived under the Archives Act and kept or deleted according to the municipality's retention rules.
privacy-storage-account = If you have an account, we keep your e-mail address, your password as a cryptographic checksum (never the password itself), when you last logged in, and which forms you have started and sent. Forms you start while logged in are kept with the account until they are deleted like other drafts. The account and its drafts are deleted when you delete the account under "My account"; sent cases follow the archive rules above.
privacy-email-copies = A copy of the receipt by email holds only the form's name, the reference number and the time, never your answers.
privacy-cookies-heading = Cookies
privacy-cookies = These pages use two cookies that the service needs to work: one that keeps the form you are filling in and your login, and one that remembers the language you chose. We use no analytics and no cookies from anyone else.
privacy-rights-heading = Your rights
privacy-right-access = You can find out what information we hold about you, and get a copy.
privacy-right-rectify = You can ask us to correct mistakes.
privacy-right-erase = You can ask us to delete or restrict information, as far as the duty to archive allows.
privacy-right-object = You can object to the handling where it is based on official authority.
privacy-rights-how = Write to us to use your rights:
privacy-complain = If you think we handle your information against the rules, you can complain to the Norwegian Data Protection Authority (Datatilsynet):
accessibility-title = Accessibility statement
accessibility-intro = { $tenant } wants everyone to be able to use the forms on these pages, including with a screen reader, magnification, a keyboard alone or without JavaScript.
accessibility-standard-heading = Requirements and status
accessibility-standard = The service is built to meet WCAG 2.1 at level AA, as the Norwegian regulations on universal design of ICT require.
accessibility-tested-heading = How we test
accessibility-tested = Every page type is tested automatically with axe-core in a real browser in Bokmål, Nynorsk and English, and every step of every form in Bokmål. We also test the way through a form with a keyboard alone, at 320 pixels wide, at 200 per cent zoom and without JavaScript.
accessibility-known-heading = Known problems
accessibility-known-pdf = The PDF files (the receipt and the form for filling in on paper) are tagged for screen readers and follow PDF/UA-1 and PDF/A-2 as far as can be checked automatically here; a full check with veraPDF is still to be done. A character that no font on the server has is shown in the PDF as a character code, such as [U+E000]. Everything you fill in is also shown on the page where you check your answers before sending.
accessibility-known-forms = Automatic tests do not find every problem. If something does not work for you, we would like to know.
accessibility-feedback-heading = Tell us
accessibility-feedback = Write to us if something on these pages is hard to use, or if you need the content in another format:
accessibility-authority = The Authority for Universal Design of ICT (Tilsynet for universell utforming av ikt) checks that the requirements are met, and you can report problems to them:
accessibility-official = The municipality's official accessibility statement:

## Accounts, login and Mine saker
header-my-cases = My cases
login-title = Log in
login-intro = Log in with the e-mail address and password you registered with. You can then continue a form you started on another device and see the cases you have sent.
login-submit = Log in
login-forgot = Forgotten your password?
login-no-account = No account?
login-register-intro = You can create an account with your e-mail address.
login-register-link = Create an account
login-without = You can fill in most forms without logging in.
login-wrong = The e-mail address or the password is wrong. Check that you have typed both correctly.
login-unverified = You have not confirmed your e-mail address yet. Select the link in the e-mail we sent when you created the account.
login-too-many = Too many failed attempts. Wait { $minutes ->
        [one] one minute
       *[other] { $minutes } minutes
    } and try again, or ask for a new password.
login-needed = You need to log in to see this page.
login-ended = You have been logged out because you were inactive for a while. Log in again to continue. What you typed has been kept.
login-resend-title = You are logged in
login-resend-body = The answers you sent before you were logged out have been kept. Select the button to send them.
login-resend-submit = Send the answers
logout-submit = Log out
logout-done = You are logged out.
account-email-label = E-mail address
account-email-invalid = Enter a valid e-mail address, for example name@example.com.
account-password-label = Password
account-new-password-label = New password
password-hint = At least { $min } characters. Several words that are easy to remember but hard to guess work well.
password-too-short = The password must have at least { $min } characters.
password-too-long = The password can have at most 256 characters.
password-common = This password is too common and easy to guess. Choose another.
password-personal = The password cannot contain your e-mail address or the name of the municipality.
register-title = Create an account
register-intro = With an account you can save forms as you go, continue on another device and see the cases you have sent.
register-email-hint = We send a link to the address, so that you can confirm it is yours.
register-privacy = We keep your e-mail address and your password (as a cryptographic checksum) until you delete the account. Read more in the
register-submit = Create account
register-have-account = Already have an account? Log in
register-closed = This service cannot send e-mail, so you cannot create an account here. You can fill in the forms without logging in.
register-sent-title = Check your e-mail
register-sent-body = We have sent an e-mail to { $address }. Select the link in it to finish.
register-sent-none = If no e-mail arrives within a few minutes, check your spam folder and that the address is typed correctly.
verified-title = Your e-mail address is confirmed
verified-body = Your account is ready. You can now log in.
link-dead-title = The link does not work
link-dead-body = The link has been used already, it is too old, or it was not copied in full. Ask for a new link.
forgot-title = Forgotten password
forgot-intro = Enter the e-mail address you registered with. We will send you a link where you can create a new password.
forgot-submit = Send link
forgot-sent-title = Check your e-mail
forgot-sent-body = If { $address } has an account with us, we have sent a link there. The link works for { $minutes } minutes and can be used once.
reset-title = Create a new password
reset-intro = When you have saved the new password, you will be logged out on every device.
reset-submit = Save the password
reset-done-title = Your password has been changed
reset-done-body = You can now log in with the new password.
account-title = My account
account-password-heading = Change password
account-password-submit = Change the password
account-password-wrong = The password is wrong.
account-password-changed = Your password has been changed. You have been logged out on other devices.
account-email-heading = Change e-mail address
account-new-email-label = New e-mail address
account-new-email-hint = We send a link to the new address. The address changes when you select it.
account-email-submit = Change the address
account-email-same = This is the address you have now.
account-email-sent = We have sent a link to the new address. The address changes when you select it.
email-changed-title = Your e-mail address has been changed
email-changed-body = Your account now uses { $address }.
account-delete-heading = Delete the account
account-delete-body = Your drafts and the account are deleted. Cases you have sent are not deleted: the municipality has them and keeps them under the archive rules.
account-delete-hint = Enter your password to confirm.
account-delete-submit = Delete the account
account-deleted-title = The account has been deleted
account-deleted-body = Your account and your drafts have been deleted, and you are logged out.
account-deleted-cases = { $count ->
        [0] You had no sent cases.
        [one] The case you sent is with the municipality and is kept under the archive rules.
       *[other] The { $count } cases you sent are with the municipality and are kept under the archive rules.
    }
level-low = low (e-mail and password)
level-substantial = substantial (for example MinID)
level-high = high (for example BankID)
stepup-title = This form needs a more secure login
stepup-body = The form needs a login at level { $needed }. You are logged in at level { $have }.
stepup-none-here = This service does not offer login with ID-porten yet. Contact the municipality to send the form another way.
stepup-kept = What you typed in the form has been kept.
stepup-back = Back to the form
my-cases-title = My cases
my-cases-logged-in-as = You are logged in as { $email }.
my-cases-last-login = Previous login: { $when }.
my-cases-when = { $date } at { $time }
my-cases-drafts = Forms you have started
my-cases-no-drafts = You have no forms in progress.
my-cases-browser-drafts = Started in this browser
my-cases-browser-drafts-intro = You started these forms before you logged in. They are only saved in this browser. Add them to your account to continue on another device.
my-cases-form = Form
my-cases-updated = Last changed
my-cases-expires = Deleted on
my-cases-actions = Actions
my-cases-continue = Continue:
my-cases-delete = Delete
my-cases-attach = Add to my account
my-cases-newer-version = There is a newer version of the form. You continue on the version you started.
my-cases-sent = Sent cases
my-cases-none-sent = You have not sent anything while logged in.
my-cases-reference = Reference
my-cases-sent-at = Sent
my-cases-status = Status
my-cases-deleted = The draft has been deleted.
my-cases-attached = The draft has been added to your account.
my-cases-has-draft = Your account already has a draft of this form. Delete it first if you want to use the one from this browser.
case-title = Case { $reference }
case-history = History
status-received = Received
status-in-progress = In progress
status-decided = Decided
mail-verify-subject = Confirm your e-mail address – { $municipality }
mail-verify-body = Hello,

    Someone created an account with { $municipality } using this address. Select the link to confirm that the address is yours:

    { $link }

    The link works for one day. If you did not create an account, you can ignore this e-mail. Replies to this e-mail are not read.
mail-taken-subject = You already have an account – { $municipality }
mail-taken-body = Hello,

    Someone tried to create an account with { $municipality } using this address, but you already have one. Log in here:

    { $link }

    If you have forgotten your password, you can create a new one here: { $forgot }

    If this was not you, you can ignore this e-mail. Your account has not been changed.
mail-reset-subject = Create a new password – { $municipality }
mail-reset-body = Hello,

    Someone asked to create a new password for your account with { $municipality }. Select the link to do so:

    { $link }

    The link can be used once and works for a short time. If you did not ask for this, you can ignore this e-mail. Your password has not been changed.
mail-password-changed-subject = Your password has been changed – { $municipality }
mail-password-changed-body = Hello,

    The password of your account with { $municipality } has been changed. If this was not you, create a new password at once: { $forgot }
mail-new-email-subject = Confirm your new e-mail address – { $municipality }
mail-new-email-body = Hello,

    Someone asked to use this address for an account with { $municipality }. Select the link to confirm:

    { $link }

    The link works for one day. If you did not ask for this, you can ignore this e-mail.
login-with = Log in with { $provider }
login-provider-intro = Log in with an electronic ID. The first time, we create an account for you, linked to your national identity number.
login-password-heading = Or log in with e-mail and password
stepup-login-again = Log in again at the right level, and you will come back to the form.
level-unknown = unknown
account-pid = national identity number { $pid }
account-provider = electronic ID
oidc-failed-title = The login could not be completed
oidc-unavailable = The login service is not answering right now. Try again in a little while.
oidc-refused = We could not verify the login. This can happen if you used an old link, went back in the browser or waited too long. Try again.
oidc-nothing-changed = You are not logged in, and nothing has changed.
oidc-try-again = Try to log in again
oidc-cancelled-title = The login was cancelled
oidc-cancelled-body = You cancelled the login, or the login service could not log you in. You are not logged in.
account-profile-heading = About you
account-profile-intro = What you enter here is filled in on forms you start while logged in. You always see the answers and can change them in the form.
account-profile-submit = Save the details
account-profile-saved = Your details have been saved.
profile-name = Name
profile-phone = Phone number
profile-street = Street address
profile-postnummer = Postcode
case-copy-heading = Send a new form
case-copy-body = Start a new form of the same kind, filled in with the answers from this case. You go through every step and can change the answers before you send. Attachments must be uploaded again.
case-copy-submit = Use the answers from this case
my-cases-unread = { $count ->
        [one] 1 new change
       *[other] { $count } new changes
    }
my-cases-unread-total = { $count ->
        [one] You have 1 change in your cases that you have not seen.
       *[other] You have { $count } changes in your cases that you have not seen.
    }
case-message = Message from the municipality: { $message }
mail-notice-subject = Your case { $reference } has been updated – { $municipality }
mail-notice-body = Hello,

    Your case { $reference } ({ $form }) with { $municipality } has been updated. Status now: { $status }.

    Log in to My cases to see what is new:

    { $link }

    Replies to this e-mail are not read.
my-cases-elsewhere = In other municipalities
my-cases-elsewhere-intro = You also have cases in these municipalities, which use the same service. Log in with the municipality to see them.
my-cases-elsewhere-drafts = { $count ->
        [one] 1 form in progress
       *[other] { $count } forms in progress
    }
my-cases-elsewhere-link = My cases with { $municipality }
idle-notice = You are logged in. For your security you will be logged out at { $time } unless you go on or save before then.
idle-soon = You will be logged out soon. Select the button to save and stay logged in.
idle-extend = Save and stay logged in
receipt-follow-ups = You can also apply for
receipt-follow-ups-intro = Some of your answers are filled in on the new form. You see them and can change them before you send.
receipt-follow-up-start = Start: { $form }
