# English: messages shown when an answer does not pass validation.
# Used by src/forms/validate/ (identifiers, postal codes, phone, e-mail) and by the form engine (the
# generic field messages at the end). Every id here must exist in validation.nb.ftl and validation.nn.ftl
# too, with the same variables (a test in src/forms/validate/mod.rs checks it).
#
# Style (ELMER, GOV.UK): say what is wrong and how to fix it, plainly, and speak to the user as "you".
# { $label } is the field's label, inserted lower-case-first by the engine.
# Pass $count, $min, $max and $years as numbers, so the plural variants ([one]) can match.

## Fødselsnummer and D-nummer (fnr.rs)
v-fnr-digits = A national identity number can only contain digits. Enter the 11 digits without letters or other characters.
v-fnr-length = A national identity number has 11 digits. You have entered { $count }.
v-fnr-date = The first six digits of the national identity number are not a date that exists. Check that you have entered them correctly.
v-fnr-century = The year of birth does not match the digits after the date of birth, so the number does not exist. Check that you have entered all 11 digits correctly.
v-fnr-future = The national identity number starts with a date in the future. Check the first six digits.
v-fnr-checksum = This national identity number is not valid. It is probably a typing error – check that you have entered all 11 digits correctly.

## Organisasjonsnummer (orgnr.rs)
v-orgnr-digits = An organisation number can only contain digits. Enter the 9 digits without letters, for example without "NO" and "MVA".
v-orgnr-length = An organisation number has 9 digits. You have entered { $count }.
v-orgnr-checksum = This organisation number is not valid. It is probably a typing error – check the digits. You can look the number up at brreg.no.

## Kontonummer (kontonr.rs)
v-kontonr-digits = An account number can only contain digits, spaces and full stops. Enter the 11 digits of the Norwegian account number, for example 1234 56 78903 (not the IBAN).
v-kontonr-length = A Norwegian account number has 11 digits. You have entered { $count }.
v-kontonr-checksum = This account number is not valid. It is probably a typing error – check the digits against your online bank.

## Postnummer (postnummer.rs)
v-postnummer-format = A Norwegian postcode has 4 digits, for example 0150.
v-postnummer-unknown = The postcode { $postnummer } does not exist. Check that you have entered it correctly.
v-postnummer-service = The postcode { $postnummer } is not used in addresses. Enter the postcode of the address, for example 0150.

## Telefonnummer (phone.rs)
v-phone-characters = A phone number can only contain digits, spaces and hyphens, and a + before the country code.
v-phone-format = A Norwegian phone number has 8 digits, for example 412 34 567. If the number is not Norwegian, enter + and the country code first.
v-phone-country = A country code cannot start with 0. Enter + and the country code, for example +46 for Sweden.
v-phone-international-length = An international phone number has between 8 and 15 digits, including the country code. Check that you have entered the whole number.

## E-postadresse (email.rs)
v-email-format = Enter the email address, for example name@example.com.
v-email-spaces = An email address cannot contain spaces. Remove the spaces.
v-email-missing-at = The email address is missing the @ sign. Enter it like this: name@example.com.
v-email-many-at = An email address can only have one @ sign. Check that you have entered it correctly.
v-email-too-long = The email address is too long. It can have at most 254 characters.
v-email-local-missing = Enter the part of the email address that comes before the @, for example name@example.com.
v-email-local-too-long = The part of the email address before the @ is too long. Use at most 64 characters.
v-email-local-characters = The part of the email address before the @ contains characters that are not allowed. Use letters, digits and characters such as full stops, hyphens and underscores.
v-email-local-dots = An email address cannot start with a full stop, have a full stop just before the @, or have two full stops in a row.
v-email-domain = Check the part of the email address after the @. It must be a domain such as example.com, with a full stop and an ending such as .no or .com.
v-email-domain-characters = The part of the email address after the @ can only contain letters, digits, hyphens and full stops. Check that you have not typed a comma instead of a full stop.

## Attachments (uploads)
v-required-file = Upload a file for “{ $label }”.
v-file-too-many = You can upload at most { $max } { $max ->
    [one] file
   *[other] files
} here. Remove a file before you upload a new one.
v-file-total-count = One application can have at most { $max } attachments.
v-file-empty = The file “{ $name }” is empty. Choose a file with content.
v-file-too-large = The file “{ $name }” is too large. It must be { $max } MB or smaller.
v-file-total-size = All attachments together must be { $max } MB or smaller. Remove a file or upload a smaller one.
v-file-type = The file “{ $name }” is a type that cannot be used here. Upload a { $types } file.
v-file-infected = The file “{ $name }” was refused because the virus check found harmful content. The file has been deleted.
v-file-scan-failed = We could not check the file “{ $name }” for viruses just now. Try again in a few minutes.
v-file-budget = The file “{ $name }” was not accepted, because a great deal has been uploaded from here in the last hour. Try again in an hour.
v-file-unreadable = The file “{ $name }” could not be read. It may be damaged or incomplete. Save it again as { $types } and upload it again.
v-file-too-many-pixels = The image “{ $name }” is too large ({ $pixels } megapixels). It can have at most { $max } megapixels. Take a new photo at a lower resolution, or make it smaller.
v-file-active = The file “{ $name }” contains code that can run, such as a web page or a script, and cannot be accepted. Save the document as an ordinary file and upload it again.

## Generic field messages (the form engine)
# v-required: an empty text field. v-required-choice: no radio button chosen. v-required-consent: a
# checkbox that must be ticked.
v-required = Fill in “{ $label }”.
v-required-choice = Choose an answer to “{ $label }”.
v-required-consent = Tick “{ $label }” to continue.
v-too-long = “{ $label }” must be { $max } characters or fewer. Shorten the text.
v-control-chars = “{ $label }” contains characters that cannot be used, such as an invisible control character. Type the answer again.
v-too-short = “{ $label }” must be at least { $min } characters.
v-pattern = Check that “{ $label }” is written correctly.
v-number-format = Enter “{ $label }” as a number, for example 12 or 12.5.
v-number-format-integer = Enter “{ $label }” as a whole number, for example 3.
v-number-integer = Enter a whole number, without decimals.
v-number-min = Enter a number that is { $min } or more.
v-number-max = Enter a number that is { $max } or less.
v-date-format = Enter the date as day, month and year, for example 17.05.2026.
v-date-not-real = This date does not exist. Check the day and month.
v-date-before = The date must be { $date } or earlier.
v-date-after = The date must be { $date } or later.
# v-date-future: the date is in the future, and must not be. v-date-past: the date is in the past, and
# must not be. Both allow today.
v-date-future = The date cannot be in the future. Enter today's date or an earlier date.
v-date-past = The date cannot be in the past. Enter today's date or a later date.
v-age-min = The person must be at least { $years } years old. Check that the date of birth is correct.
v-age-max = The person must be { $years } years old or younger. Check that the date of birth is correct.
v-choice-unknown = Select one of the options.
v-choices-min = Select at least { $min ->
        [one] one option
       *[other] { $min } options
    }.
v-choices-max = You can select at most { $max ->
        [one] one option
       *[other] { $max } options
    }.
v-group-min = Add at least { $min ->
        [one] one entry
       *[other] { $min } entries
    }.
v-group-max = You can add at most { $max ->
        [one] one entry
       *[other] { $max } entries
    }. Remove the ones you do not need.
