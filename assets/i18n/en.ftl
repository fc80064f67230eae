# Tongban kiosk — English. Every message here must also exist in zh-CN.ftl.

## Header and switches
header-language-switch = 中文
header-elder-on = Large text
header-elder-off = Standard text
header-demo = Demo mode

## Date and time
date-long = { $weekday }, { $day } { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
weekday-mon = Monday
weekday-tue = Tuesday
weekday-wed = Wednesday
weekday-thu = Thursday
weekday-fri = Friday
weekday-sat = Saturday
weekday-sun = Sunday

## Attract screen
attract-welcome = Welcome to the government services terminal
attract-begin = Choose how to begin
attract-idcard-title = Place your ID card
attract-idcard-hint = Lay your ID card flat on the reader below the screen and keep it still until the screen says it has been read.
attract-qr-title = Scan your Suishenma
attract-qr-hint = Open the Suishenban app, show your Suishenma code and hold it to the scanner at the lower right.
attract-other-cards = Residence permits for Hong Kong, Macao and Taiwan residents and foreign permanent residence ID cards also work on the reader.
attract-privacy = Your information is erased from this terminal as soon as you finish or leave.
attract-help = For help, ask the branch staff or call { $hotline }.
attract-demo-hint = Demo: press { $key } to place a sample ID card

## Footer
footer-terminal = Terminal { $id }
footer-item = { $label }: { $value }
footer-network = Network
network-online = Connected
network-offline = Offline
network-not-configured = No platform configured
device-id-card-reader = ID card reader
device-qr-scanner = Scanner
device-receipt-printer = Receipt printer
device-a4-printer = A4 printer
device-state-online = OK
device-state-offline = Offline
device-state-hardware-error = Fault
device-state-user-error = Needs attention
device-state-busy = Busy
device-state-no-device = Not connected

## Out of service
out-of-service-title = This terminal is out of service
out-of-service-body = We are sorry for the inconvenience. Please go to the counter or use another self-service terminal nearby.
out-of-service-reason = Reason: { $reason }
out-of-service-hotline = Helpline { $hotline }

## Resident home
home-greeting = Hello, { $name }
home-choose = What would you like to do?
home-services = Services
home-services-hint = Find any of the 128 most used services by category or pinyin
home-licences = Print licences
home-licences-hint = Print your own electronic licences with a purpose watermark
home-progress = Track applications
home-progress-hint = See how your submitted applications are progressing
home-no-catalogue = This terminal does not have the service catalogue yet.
home-no-platform = This terminal is not connected to the services platform.
home-not-offered = This terminal does not offer this service yet.
home-elsewhere = Services that cannot be used now say why. You can use a service counter, or try again later.
home-applications-paused = This terminal is short of storage and cannot take new applications right now; you can still read and print the guides. Applications already submitted are safe and will still be sent. Please apply at a counter or a government service centre, or try again later.
home-services-disk-low = Guides only: applications cannot be submitted here right now
home-finish = Finish

## Idle warning
idle-title = Are you still there?
idle-body = To protect your information, this session ends in { $seconds } seconds and your details will be erased.
idle-continue = Continue
idle-end = End now

## Session end
session-ended-timeout = You were inactive for a while, so the session ended and your details were erased.

## Notices about the last card
notice-card-expired = This card has expired. Please use a valid card, or go to the counter.
notice-card-read-failed = The card could not be read. Lay it flat on the reader, keep it still and try again.

## Identification
identified-title = Identity confirmed
identified-welcome = Welcome, { $name }
identified-opening = Opening your services…
reading-card = Reading your card, please keep it still
notice-card-unsupported = This kind of card is not supported. Please use a resident ID card, a residence permit or a foreign permanent residence ID card, or scan your Suishenma.
reader-unavailable = The card reader is not available at the moment. Please scan your Suishenma, or ask the branch staff.
notice-suishenma-needs-platform = Your Suishenma was recognised, but this terminal is not connected to the government services platform yet, so it cannot be used. Please use your ID card.
notice-suishenma-unknown = This Suishenma was not recognised. Please refresh it in the Suishenban app and try again, or use your ID card.
notice-not-suishenma = This is not a Suishenma. Please open the Suishenban app and show your Suishenma.
notice-scan-unreadable = The code could not be read. Turn up your phone's screen brightness and scan again.
identify-checking = Checking your identity…
identify-wait = The Suishenma is being checked with the government services platform. Please wait. If you did not scan a code, press Cancel.
identify-cancel = Cancel
notice-identify-timeout = Your identity could not be checked in time. Please scan your Suishenma again, or use your ID card.

## Printers: why one cannot print (residents see these)
printer-none = This terminal has no printer available. Please go to a service counter.
printer-offline = The printer is not connected. Please ask the branch staff.
printer-paper-out = The printer is out of paper. Please ask the branch staff.
printer-jammed = The printer has a paper jam. Please ask the branch staff.
printer-cover-open = The printer cover is open. Please ask the branch staff.
printer-toner-out = The printer is out of toner. Please ask the branch staff.
printer-fault = The printer has a fault. Please ask the branch staff.
printer-busy = The printer is busy. Please try again shortly.
printer-layout = This licence cannot be laid out for printing. Please go to a service counter.
printer-journal = The terminal cannot record print jobs right now. Please ask the branch staff.
device-detail-paper-out = Out of paper
device-detail-paper-low = Paper low
device-detail-jammed = Paper jam
device-detail-cover-open = Cover open
device-detail-toner-low = Toner low
device-detail-toner-out = Toner out

## Licence printing
licence-number = Licence no. { $number }
licence-purpose-title = Choose what the copy is for
licence-purpose-hint = The purpose is printed across the copy as a watermark; the copy is valid for that purpose only.
licence-copies = Copies: { $copies }
licence-copies-more = One more copy
licence-copies-less = One copy fewer
licence-print = Print
licence-back = Back
licence-printing = Printing, please wait…
licence-printing-pages = { $printed } of { $pages } pages printed
licence-printing-wait = Please stay until printing has finished.
licence-done = Printing finished
licence-done-take = Please take your copies from the output tray below.
licence-failed = Printing did not finish
licence-failed-pages = { $printed } of { $pages } pages printed; the rest were not.
licence-uncertain = The printing result cannot be confirmed
licence-uncertain-body = Please ask the branch staff to check which pages came out. Do not print again.
licence-finish = Back to home
licences-title = Licence printing · My electronic licences
licences-loading = Reading your electronic licences
licences-loading-body = Asking the government services platform, please wait.
licences-unreachable = Your electronic licences cannot be read now
licences-unreachable-body = The terminal cannot reach the government services platform. Tap "Try again" in a moment, or go to the counter.
licences-unknown = No electronic licences found for you
licences-unknown-body = The government services platform has no electronic licences for you. Please ask the branch staff or call 12345.
licences-none = You have no electronic licences to print
licences-none-body = Once an issuing department issues you an electronic licence, you can print it here. Questions: call 12345.
licences-retry = Try again
licences-search-hint = Tap to search: Chinese, pinyin, initials or English
licences-nothing-found = No licence matches. Try other words, or tap "Clear" to see them all.
licences-count = { $count ->
    [one] One licence
   *[other] { $count } licences
}, grouped by issuing department
licences-issuer-unknown = Other departments
licences-expired = Expired
licences-revoked = Revoked
licences-valid-until = Valid until { $date }
licences-valid-long = No expiry
home-licences-no-platform = Licence printing needs the government services platform, which cannot be reached now. Please try later or go to the counter.
licence-other = Other purpose (type it)
licence-other-typed = Other: { $purpose }
licence-other-hint = Type the purpose on the keyboard below (in Chinese, as it is printed)
licence-watermark-sample = The copy will read: 仅供{ $purpose }使用，他用无效 (for this purpose only)
licence-next = Next: preview
licence-preparing = Preparing the preview
licence-preparing-body = Asking the government services platform to authorise the copy, please wait.
licence-preview-title = Preview: the page that will print
licence-preview-purpose = Watermark: for { $purpose } only
licence-preview-verify = The QR code at the bottom right verifies the copy.
licence-allowed = { $copies ->
    [one] One more copy of this licence allowed today
   *[other] Up to { $copies } more copies of this licence today
}
licence-price = { $each } yuan a copy, { $total } yuan in all
licence-free = This service is free
licence-preview-back = Choose another purpose
licence-done-copies = { $copies ->
    [one] One copy printed.
   *[other] { $copies } copies printed.
}
licence-failed-take = Please take the pages that came out; the copies not printed do not count against today's limit.
licence-refused-body = Nothing was printed and nothing counts against today's limit.
licence-retry = { $copies ->
    [one] Print the missing copy
   *[other] Print the { $copies } missing copies
}
licence-retry-when = Once staff have refilled the paper or cleared the fault, you can print the missing copies.
licence-problem = This licence cannot be printed now
licence-problem-back = Back to choose again
licence-problem-quota = Today's copies of this licence have all been printed. Please come back tomorrow.
licence-problem-revoked = This licence has been revoked or has expired and cannot be printed. Please ask the issuing department.
licence-problem-not-found = The platform cannot find this licence. Please go back to the list and choose again.
licence-problem-unreachable = The terminal cannot reach the government services platform to authorise the copy. Please try later or go to the counter.
licence-problem-session = Your identification has expired. Please finish and place your ID card again.

## Journeys: shared words
back = Back
finish = Finish
kuaiban = Quick
yijianshi = One application
page-previous = Previous
page-next = Next
page-of = Page { $page } of { $pages }
home-popular = Most used

## On-screen keyboard
kb-backspace = Delete
kb-space = Space
kb-done = Done
kb-digits = 123
kb-letters = ABC
kb-pinyin = Pinyin
kb-pinyin-hint = Type pinyin, then tap a character

## 事项办理: catalogue and search
services-title = Services
services-search-hint = Tap to search: Chinese, pinyin, initials or English
services-clear = Clear
services-featured = Bundles and quick items
services-results = { $count } found
services-nothing-found = Nothing matches. Try other words, or look by category.
services-empty = No items in this category.
services-bundle-items = One form for { $count } applications

## Guide and 好办
guide-conditions = Who may apply
guide-materials = Materials
guide-fee = Fee
guide-time-limit = Time limit
guide-days = { $days } working days
guide-place = Where it is handled
guide-bundle-items = Items included
guide-no-paper = No paper
guide-bring = Needed
guide-no-paper-hint = Materials marked "No paper" are covered by your electronic licences or the ID card just read.
guide-print = Print this guide
guide-printed = The guide is printing; take it from the receipt slot.
guide-kuaiban = Quick: fill in now
guide-apply = Start the form
guide-guided = Guided: answer a few questions
guide-disk-low = This terminal is short of storage and cannot take new applications right now. You have lost nothing, and applications already submitted will still be sent. Please apply at a counter or at the place the guide names; you can print this guide to take with you, or try again later.
guided-step = Question { $step } of { $steps }
guided-condition = Does this apply to you?
guided-material = Do you have this with you?
guided-yes = Yes
guided-no = No
guided-not-eligible = This item may not be for you
guided-not-eligible-next = Please ask the branch staff or call the 12345 hotline about the item that fits you.
guided-fits = You can apply for this item
guided-nothing-missing = You have everything it needs; you can fill in the form now.
guided-bring = After applying, take these materials to the office:
guided-bring-where = Office: { $place }
guided-back-to-guide = Back to the guide

## Form
apply-fill-hint = Fields marked * are required. Details from your ID card cannot be changed.
apply-review-hint = Please check the details, then submit.
apply-from-card = From your ID card
apply-from-card-editable = From your ID card, can be changed
apply-from-platform = On record, can be changed
apply-tap-to-fill = Tap to fill in
apply-edit = Change
apply-locked = Fixed
apply-cancel-edit = Cancel
apply-date-hint = Year-month-day, for example 2026-01-31.
apply-phone-hint = An 11-digit mobile number.
apply-id-hint = An 18-character ID number; the last may be X.
apply-scan-hint = You can also hold a barcode or QR code to the scanner.
apply-review = Next: check
apply-change = Change
apply-submit = Submit
apply-submitting = Submitting, please wait…
apply-try-again = Try again
form-error-required = Please fill this in.
form-error-too-long = At most { $max } characters.
form-error-phone = Please enter an 11-digit mobile number starting with 1.
form-error-id-number = This ID number is not valid. Please check it.
form-error-date = Please enter a real date as year-month-day, for example 2026-01-31.
form-error-number = Digits only, please.
form-error-choice = Please choose one of the options.
submit-error-disk-full = This terminal's storage is full: the application was neither saved nor sent. Please ask the branch staff, or apply at a counter.
submit-error-disk-low = This terminal is short of storage and cannot take new applications right now: this one was neither saved nor sent. What you filled in is still here, nothing is lost; please apply at a counter or a government service centre, or try again later.
submit-error-store = This terminal cannot save the application right now; nothing was sent. Please try again later or ask the branch staff.

## After submitting
submitted-title = Submitted
submitted-note = The government service platform has your application. Use the application number to follow its progress.
submitted-queued-title = Saved; it will be sent by itself
submitted-queued-note = The network is down. Your application is saved on this terminal and will be sent as soon as the network is back. You need not come again.
submitted-number = Application number
submitted-reference = Terminal reference
submitted-receipt-printing = Printing your receipt…
submitted-receipt-printed = Your receipt is printed; please take it from the receipt slot.
submitted-receipt-failed = The receipt could not print:
submitted-rate = Rate this service
submitted-another = Another item

## Receipt (printed)
slip-heading = One-stop services · Receipt
slip-guide-heading = One-stop services · Guide
slip-label-service = Office
slip-label-item = Item
slip-label-number = Application no.
slip-label-reference = Terminal ref.
slip-label-time = Submitted
slip-label-terminal = Terminal
slip-label-applicant = Applicant
slip-qr-caption = Scan to follow the progress
slip-queued-caption = Sent by itself once the network is back

## 办件查询
progress-title = My applications
progress-hint = What you have applied for, newest first.
progress-loading = Looking them up…
progress-none = You have no applications on record.
progress-retry = Try again
progress-updated = Updated { $at }
progress-error-platform = The government service platform cannot be reached. Please try again later.
progress-error-session = Your identity check has expired. Please place your ID card again.
progress-error-no-session = The platform has not confirmed your identity yet. Please try again shortly, or place your ID card again.
progress-state-received = Received
progress-state-accepted = Accepted
progress-state-in-review = In review
progress-state-approved = Approved
progress-state-rejected = Not approved
progress-state-completed = Completed

## 好差评
rating-title = How was this service?
rating-hint = Your rating goes anonymously to the government service rating system.
rating-level-5 = Very good
rating-level-4 = Good
rating-level-3 = Fair
rating-level-2 = Poor
rating-level-1 = Very poor
rating-reasons = Optional: why
rating-reason-fast = Quick
rating-reason-simple = Easy to use
rating-reason-clear = Clear guidance
rating-reason-no-paper = No paper needed
rating-reason-slow = Long wait
rating-reason-complicated = Complicated
rating-reason-unclear = Unclear requirements
rating-reason-device = A device failed
rating-send = Send rating
rating-skip = Skip
rating-thanks = Thank you for your rating!

## Farewell
farewell-title = Please take your ID card and receipt
farewell-body = Thank you for using the one-stop service terminal.
farewell-privacy = Your details have been cleared from this terminal.
farewell-done = Done

## Licence printing paused (home)
home-licences-paused = Licence printing is paused. { $why } Every other service works as usual.

## Out-of-service reasons
oos-reason-maintenance = Maintenance in progress
oos-reason-supplies = Restocking supplies
oos-reason-network = Network fault
oos-reason-device = Device fault
oos-auto-identification = Neither the ID card reader nor the code scanner works, so no one can be identified

## Staff sign-in
pin-title = Staff sign-in
pin-hint = Enter your staff PIN (6–8 digits).
pin-clear = Clear
pin-delete = Delete
pin-cancel = Back
pin-submit = OK
pin-checking = Checking…
pin-wrong = Wrong PIN. { $left } more tries.
pin-locked = Too many wrong PINs: locked. Try again in about { $minutes } min.
pin-no-staff = No staff PIN is set up on this terminal. Please contact operations.

## Maintenance mode
mt-title = Maintenance mode
mt-signed-in = Staff { $staff } · every action goes to the audit log
mt-refresh = Refresh
mt-exit = Leave maintenance
mt-tab-devices = Devices
mt-tab-supplies = Supplies
mt-tab-queue = Queue and print journal
mt-tab-service = Service
mt-facts-error = The terminal's records cannot be read: { $why }
mt-loading = Reading…
mt-none = none
mt-devices-hint = Device states update live. Red lines are problems to fix now, with how.
mt-self-check = Self-check
mt-not-configured = Not configured on this terminal.
mt-fix-now = To fix: { $fix }
mt-last-problem = Last problem: { $at } { $what }
mt-test-print = Print a test page
mt-check-passed = Self-check passed: { $what }
mt-check-failed = Self-check failed: { $what }
mt-check-sam = security module (SAM) working
mt-check-sam-failed = security module (SAM) failing
mt-check-scanner = scanner connected
mt-check-ready = printer ready
mt-check-no-answer = no answer from the device
mt-media-full = paper fine
mt-media-low = paper low
mt-media-out = paper out
mt-media-jammed = paper jam
mt-media-unknown = paper unknown
mt-toner-full = toner fine
mt-toner-low = toner low
mt-toner-out = toner out
mt-toner-unknown = toner unknown
mt-cover-closed = cover closed
mt-cover-open = cover open
mt-cover-unknown = cover unknown
mt-fix-offline = Check the device's power and its USB or serial cable; if it stays offline, report a fault.
mt-fix-reader = The reader's security module fails: power the reader off and on; if it persists, report a fault.
mt-fix-hardware = The device reports a fault: power it off and on; if it persists, report a fault.
mt-fix-user-error = The device needs attention: see its panel.
mt-fix-paper-out = Open the tray, load A4 paper, close it, then record the paper under Supplies.
mt-fix-paper-low = Paper is low: add A4 paper soon.
mt-fix-jammed = Open the printer's front cover, remove the jammed paper as the printer shows, and close the cover.
mt-fix-cover-open = Close the printer's cover.
mt-fix-toner-out = Replace the toner cartridge, then tap "Toner replaced" under Supplies.
mt-fix-toner-low = Toner is low: have a new cartridge ready.
mt-fix-roll-out = Load a new receipt roll, close the cover, then tap "Receipt roll replaced" under Supplies.
mt-fix-roll-low = The receipt roll is nearly used up: have a new roll ready.
mt-supply-a4 = A4 paper
mt-supply-toner = Toner
mt-supply-roll = Receipt roll
mt-supply-unknown = { $supply }: no count set; record it under Supplies after restocking.
mt-supply-updated = Count updated { $at }
mt-a4-left = About { $sheets } sheets in the A4 tray (full: { $capacity })
mt-toner-left = Toner for about { $pages } more pages (new cartridge: { $capacity })
mt-roll-left = About { $metres } m of receipt paper left (new roll: { $capacity } m)
mt-estimate-a4 = At this terminal's rate over 14 days (about { $rate } sheets a day): about { $days } days
mt-estimate-toner = At this terminal's rate over 14 days (about { $rate } pages a day): about { $days } days
mt-estimate-roll = At this terminal's rate over 14 days (about { $rate } m a day): about { $days } days
mt-estimate-none = Nothing used in 14 days: no estimate yet
mt-supplies-hint = After restocking, tap the matching button: the count is reset, written to the audit log and reported to the platform with the next heartbeat.
mt-a4-full = A4 tray filled ({ $sheets } sheets)
mt-a4-added = Added { $sheets } sheets
mt-roll-replaced = Receipt roll replaced
mt-toner-replaced = Toner replaced
mt-recent-restocks = Recent restocking
mt-outbox = Outbox
mt-outbox-counts = { $waiting } waiting · { $rejected } refused · oldest waiting { $age }
mt-sync-hint = The terminal sends by itself once the network is back; or sync now.
mt-refused-hint = Refused by the platform (the resident's form is kept { $days } days for you to act on, then only the item, time and reason):
mt-refused-line = { $kind } · { $item } · taken { $at } · { $reason } · { $kept }
mt-refused-form-kept = form kept
mt-refused-form-dropped = form deleted
mt-submission-application = Application
mt-submission-rating = Rating
mt-submission-print-result = Print result
mt-sync = Sync now
mt-journal = Print journal
mt-journal-counts = { $printed } printed · { $failed } failed · { $uncertain } to confirm · { $open } in progress
mt-no-uncertain = No print job waits for confirmation.
mt-uncertain-hint = Nobody can tell whether these printed. Check the output tray or ask the resident, then confirm:
mt-resolve-printed = Printed
mt-resolve-not-printed = Not printed
mt-recent-jobs = Recent print jobs
mt-job-line = #{ $id } { $printer } · { $kind } · { $printed }/{ $pages } pages · { $state } · { $at } { $reason }
mt-job-journalled = journalled
mt-job-sending = sending
mt-job-printed = printed
mt-job-failed = failed
mt-job-uncertain = to confirm
mt-age-seconds = { $n } s
mt-age-minutes = { $n } min
mt-age-hours = { $n } h
mt-age-days = { $n } days
mt-service = Service
mt-in-service = Serving residents
mt-out-by-staff = Out of service (staff): { $reason }
mt-out-by-platform = Out of service (platform command): { $reason }
mt-out-automatic = Out of service by itself: { $reason }
mt-back-in-service = Back in service
mt-oos-choose = Take out of service: choose the reason residents will see.
mt-platform-decides = The platform took this terminal out of service; the platform brings it back.
mt-automatic-hint = The terminal goes out of service by itself when neither the ID card reader nor the scanner works, and comes back when one does.
mt-audit = Audit log
mt-audit-line = { $at } · { $staff } · { $action } { $detail }
mt-action-maintenance-open = opened maintenance
mt-action-maintenance-close = left maintenance
mt-action-maintenance-timeout = maintenance timed out
mt-action-pin-lockout = PIN entry locked
mt-action-restock-a4-paper = A4 paper added
mt-action-replace-receipt-roll = receipt roll replaced
mt-action-replace-toner = toner replaced
mt-action-self-check = self-check
mt-action-test-print = test print
mt-action-out-of-service = out of service
mt-action-in-service = back in service
mt-action-auto-out-of-service = out of service by itself
mt-action-auto-in-service = back in service by itself
mt-action-force-sync = sync now
mt-action-resolve-printed = confirmed printed
mt-action-resolve-not-printed = confirmed not printed
mt-done-self-check = Self-check done: { $passed } of { $total } devices passed.
mt-done-restock = Recorded: { $supply } count is now { $remaining }.
mt-done-out-of-service = Out of service. Residents see the out-of-service screen with the reason.
mt-done-in-service = Back in service.
mt-done-sync = Sync requested.
mt-done-resolved = Print job #{ $id } confirmed.
mt-done-test-print = Test page printed: check how it looks.
mt-test-printing = Printing the test page…
mt-failed-not-kept = Not saved: { $why }
mt-failed-sync = Cannot sync: { $why }
mt-failed-resolve = Cannot confirm: { $why }
mt-failed-test-print = Test page not printed: { $why }
mt-board-supply = { $counter }, about { $days } days left
mt-kind-licence = licence
mt-kind-receipt = receipt
mt-kind-test_page = test page
mt-kind-test_receipt = test receipt
mt-reason-no-printer = no printer
mt-reason-printer-not-answering = printer not answering
mt-reason-paper-out = paper out
mt-reason-paper-jam = paper jam
mt-reason-cover-open = cover open
mt-reason-toner-out = toner out
mt-reason-printer-fault = printer fault
mt-reason-printer-busy = printer busy
mt-reason-layout-failed = layout failed
mt-reason-journal-unavailable = journal unavailable
mt-reason-the-kiosk-stopped-during-the-job = the kiosk stopped during the job
mt-reason-not-printed-resolved-by-staff = not printed (confirmed by staff)
