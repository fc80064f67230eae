# Tongban kiosk — 简体中文 (default). Every message here must also exist in en.ftl.

## Header and switches
header-language-switch = English
header-elder-on = 长者模式
header-elder-off = 标准字号
header-demo = 演示模式

## Date and time
date-long = { $year }年{ $month }月{ $day }日 { $weekday }
weekday-mon = 星期一
weekday-tue = 星期二
weekday-wed = 星期三
weekday-thu = 星期四
weekday-fri = 星期五
weekday-sat = 星期六
weekday-sun = 星期日

## Attract screen
attract-welcome = 欢迎使用政务服务自助终端
attract-begin = 请选择一种方式开始办理
attract-idcard-title = 放置身份证
attract-idcard-hint = 将第二代居民身份证平放在屏幕下方的读卡区，保持不动，直到屏幕提示读取成功。
attract-qr-title = 扫描随申码
attract-qr-hint = 打开“随申办”App，出示随申码，对准右下方的扫码窗口。
attract-other-cards = 港澳台居民居住证、外国人永久居留身份证也可在读卡区识别。
attract-privacy = 办理结束或离开后，您的信息会立即从本机清除。
attract-help = 需要帮助请咨询网点工作人员，或拨打热线 { $hotline }。
attract-demo-hint = 演示：按 { $key } 放置示例身份证

## Footer
footer-terminal = 终端 { $id }
footer-item = { $label }：{ $value }
footer-network = 网络
network-online = 已连接
network-offline = 离线
network-not-configured = 未配置平台
device-id-card-reader = 身份证阅读器
device-qr-scanner = 扫码器
device-receipt-printer = 凭条打印机
device-a4-printer = A4打印机
device-state-online = 正常
device-state-offline = 离线
device-state-hardware-error = 故障
device-state-user-error = 需处理
device-state-busy = 忙
device-state-no-device = 未连接

## Out of service
out-of-service-title = 本终端暂停服务
out-of-service-body = 给您带来不便，敬请谅解。请到网点柜台办理，或使用附近的其他自助终端。
out-of-service-reason = 原因：{ $reason }
out-of-service-hotline = 咨询热线 { $hotline }

## Resident home
home-greeting = { $name }，您好
home-choose = 请选择您要办理的业务
home-services = 事项办理
home-services-hint = 按分类或拼音查找128项高频事项
home-licences = 证照打印
home-licences-hint = 打印本人电子证照，加盖用途水印
home-progress = 办件查询
home-progress-hint = 查看已提交事项的办理进度
home-no-catalogue = 本终端尚未取得办事目录。
home-no-platform = 本终端暂未连接政务服务平台。
home-not-offered = 本终端暂未开通此项业务。
home-elsewhere = 暂不能使用的业务已注明原因。可到柜台办理，或稍后再试。
home-finish = 结束办理

## Idle warning
idle-title = 您还在办理吗？
idle-body = 为保护您的信息，{ $seconds } 秒后将自动退出并清除您的资料。
idle-continue = 继续办理
idle-end = 立即退出

## Session end
session-ended-timeout = 因长时间无操作，已自动退出并清除您的信息。

## Notices about the last card
notice-card-expired = 此证件已过期，请使用有效证件，或到柜台办理。
notice-card-read-failed = 未能读取证件。请将证件平放在读卡区，保持不动后再试。

## Identification
identified-title = 身份已确认
identified-welcome = { $name }，欢迎您
identified-opening = 正在为您打开办事页面……
reading-card = 正在读取证件，请勿移动
notice-card-unsupported = 暂不支持此类证件。请使用居民身份证、港澳台居民居住证或外国人永久居留身份证，或扫描随申码。
reader-unavailable = 读卡器暂时无法使用，请扫描随申码，或联系网点工作人员。
notice-suishenma-needs-platform = 已识别随申码，但本终端尚未连接政务服务平台，暂不能扫码办理。请使用身份证。
notice-suishenma-unknown = 未能识别此随申码。请在“随申办”中刷新随申码后重试，或使用身份证。
notice-not-suishenma = 这不是随申码。请打开“随申办”App，出示随申码。
notice-scan-unreadable = 未能识别这个二维码，请将手机屏幕调亮后重新扫描。

## Printers: why one cannot print (residents see these)
printer-none = 本终端暂无可用的打印机，请到柜台办理。
printer-offline = 打印机未连接，请联系网点工作人员。
printer-paper-out = 打印机缺纸，请联系网点工作人员。
printer-jammed = 打印机卡纸，请联系网点工作人员。
printer-cover-open = 打印机盖板未关好，请联系网点工作人员。
printer-toner-out = 打印机墨粉已用完，请联系网点工作人员。
printer-fault = 打印机故障，请联系网点工作人员。
printer-busy = 打印机正忙，请稍候再试。
printer-layout = 证照内容无法排版打印，请到柜台办理。
printer-journal = 终端存储异常，暂不能打印，请联系网点工作人员。
device-detail-paper-out = 缺纸
device-detail-paper-low = 纸将用尽
device-detail-jammed = 卡纸
device-detail-cover-open = 盖板打开
device-detail-toner-low = 墨粉不足
device-detail-toner-out = 墨粉用尽

## Licence printing
licence-number = 证照编号 { $number }
licence-purpose-title = 请选择用途
licence-purpose-hint = 用途将以水印印在打印件上，打印件仅限该用途使用。
purpose-school = 办理入学手续
purpose-social-security = 办理社保业务
purpose-bank = 办理银行业务
purpose-housing = 办理住房业务
purpose-identity = 核验身份
licence-copies = 份数：{ $copies }
licence-copies-more = 增加一份
licence-copies-less = 减少一份
licence-print = 打印
licence-back = 返回
licence-printing = 正在打印，请稍候……
licence-printing-pages = 已打印 { $printed } / { $pages } 页
licence-printing-wait = 打印完成前请不要离开。
licence-done = 打印完成
licence-done-take = 请从下方出纸口取走您的证照打印件。
licence-failed = 打印未完成
licence-failed-pages = 已打印 { $printed } / { $pages } 页，其余未打印。
licence-uncertain = 无法确认打印结果
licence-uncertain-body = 请联系网点工作人员核实已打印的页数，请勿重复打印。
licence-finish = 返回首页
