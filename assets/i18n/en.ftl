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
purpose-school = School enrolment
purpose-social-security = Social security
purpose-bank = Banking
purpose-housing = Housing
purpose-identity = Identity check
licence-copies = Copies: { $copies }
licence-copies-more = One more copy
licence-copies-less = One copy fewer
licence-print = Print
licence-back = Back
licence-printing = Printing, please wait…
licence-printing-pages = { $printed } of { $pages } pages printed
licence-printing-wait = Please stay until printing has finished.
licence-done = Printing finished
licence-done-take = Please take your copy from the output tray below.
licence-failed = Printing did not finish
licence-failed-pages = { $printed } of { $pages } pages printed; the rest were not.
licence-uncertain = The printing result cannot be confirmed
licence-uncertain-body = Please ask the branch staff to check which pages came out. Do not print again.
licence-finish = Back to home
