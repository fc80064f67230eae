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
licences-title = 证照打印 · 我的电子证照
licences-loading = 正在读取您的电子证照
licences-loading-body = 正在从政务服务平台读取，请稍候。
licences-unreachable = 暂时无法读取您的电子证照
licences-unreachable-body = 终端暂时连不上政务服务平台。请稍后点“重试”，或到柜台办理。
licences-unknown = 未找到您的电子证照信息
licences-unknown-body = 政务服务平台没有您的电子证照记录。如有疑问，请咨询网点工作人员或拨打 12345。
licences-none = 您暂无可打印的电子证照
licences-none-body = 发证部门为您签发电子证照后，即可在此打印。如有疑问，请拨打 12345。
licences-retry = 重试
licences-search-hint = 点此搜索证照：输入汉字、拼音或首字母
licences-nothing-found = 没有找到相符的证照。请换个说法，或点“清除”查看全部证照。
licences-count = 共 { $count } 个证照，按发证部门分组
licences-issuer-unknown = 其他发证部门
licences-expired = 已过期
licences-revoked = 已注销
licences-valid-until = 有效期至 { $date }
licences-valid-long = 长期有效
home-licences-no-platform = 证照打印需要连接政务服务平台，目前无法连接。请稍后再试或到柜台办理。
licence-other = 其他用途（手写输入）
licence-other-typed = 其他：{ $purpose }
licence-other-hint = 请用下方键盘输入用途，如“办理签证”
licence-watermark-sample = 打印件上将印有：仅供{ $purpose }使用，他用无效
licence-next = 下一步：预览
licence-preparing = 正在生成打印预览
licence-preparing-body = 正在向政务服务平台申请打印授权，请稍候。
licence-preview-title = 打印预览：即将打印的页面
licence-preview-purpose = 用途水印：仅供{ $purpose }使用
licence-preview-verify = 右下角二维码可扫码核验真伪。
licence-allowed = 今日本证照最多还可打印 { $copies } 份
licence-price = 每份 { $each } 元，合计 { $total } 元
licence-free = 本服务免费
licence-preview-back = 重新选择用途
licence-done-copies = 共打印 { $copies } 份。
licence-failed-take = 已打印的页面请取走；未打印的份数不计入今日限额。
licence-refused-body = 本次未打印，不计入今日限额。
licence-retry = 补打未打印的 { $copies } 份
licence-retry-when = 工作人员放好纸张或排除故障后，即可补打未打印的份数。
licence-problem = 暂不能打印此证照
licence-problem-back = 返回重新选择
licence-problem-quota = 此证照今日可打印的份数已用完，请明天再来。
licence-problem-revoked = 此证照已注销或已过期，不能打印。如有疑问，请咨询发证部门。
licence-problem-not-found = 政务服务平台未找到此证照，请返回证照列表重新选择。
licence-problem-unreachable = 终端暂时连不上政务服务平台，无法取得打印授权。请稍后再试或到柜台办理。
licence-problem-session = 您的身份核验已过期，请结束办理后重新刷身份证。

## Journeys: shared words
back = 返回
finish = 结束办理
kuaiban = 快办
yijianshi = 一件事
page-previous = 上一页
page-next = 下一页
page-of = 第 { $page } / { $pages } 页
home-popular = 常用事项

## On-screen keyboard
kb-backspace = 删除
kb-space = 空格
kb-done = 完成
kb-digits = 数字
kb-letters = 字母
kb-pinyin = 拼音
kb-pinyin-hint = 输入拼音，点选汉字

## 事项办理: catalogue and search
services-title = 事项办理
services-search-hint = 点此搜索：输入汉字、拼音或首字母，如 hkb
services-clear = 清除
services-featured = 一件事与快办
services-results = 找到 { $count } 项
services-nothing-found = 没有找到相符的事项。请换个说法，或按分类查找。
services-empty = 此分类暂无事项。
services-bundle-items = 一次填写，同时申请 { $count } 个事项

## Guide and 好办
guide-conditions = 申请条件
guide-materials = 申请材料
guide-fee = 收费标准
guide-time-limit = 办理时限
guide-days = { $days } 个工作日
guide-place = 办理地点
guide-bundle-items = 包含事项
guide-no-paper = 免提交
guide-bring = 需提交
guide-no-paper-hint = 标有“免提交”的材料，已由您的电子证照或刚读取的身份证代替，无需提供纸质件。
guide-print = 打印办事指南
guide-printed = 指南已送往打印，请从小票口取走。
guide-kuaiban = 快办：立即填写
guide-apply = 开始填写
guide-guided = 好办：回答几个问题
guided-step = 第 { $step } / { $steps } 题
guided-condition = 以下情况是否符合您？
guided-material = 您是否带有这份材料？
guided-yes = 是
guided-no = 否
guided-not-eligible = 此事项可能不适合您
guided-not-eligible-next = 请咨询网点工作人员或拨打 12345 热线，了解适合您的事项。
guided-fits = 您可以申请此事项
guided-nothing-missing = 所需材料均已齐备，可以直接填写。
guided-bring = 提交申请后，请将以下材料送至办理地点：
guided-bring-where = 办理地点：{ $place }
guided-back-to-guide = 返回指南

## Form
apply-fill-hint = 带 * 的为必填项。来自身份证的信息不可修改。
apply-review-hint = 请核对以下信息，确认无误后提交。
apply-from-card = 来自身份证
apply-from-card-editable = 来自身份证，可修改
apply-from-platform = 平台预留，可修改
apply-tap-to-fill = 点此填写
apply-edit = 修改
apply-locked = 不可修改
apply-cancel-edit = 取消
apply-date-hint = 按“年-月-日”填写，如 2026-01-31。
apply-phone-hint = 11 位手机号码。
apply-id-hint = 18 位身份证号码，末位可能是 X。
apply-scan-hint = 也可以将条码或二维码对准扫描口。
apply-review = 下一步：核对
apply-change = 返回修改
apply-submit = 确认提交
apply-submitting = 正在提交，请稍候……
apply-try-again = 再试一次
form-error-required = 此项必须填写。
form-error-too-long = 最多 { $max } 个字。
form-error-phone = 请填写 11 位手机号码，以 1 开头。
form-error-id-number = 身份证号码不正确，请核对后重新填写。
form-error-date = 请按“年-月-日”填写一个存在的日期，如 2026-01-31。
form-error-number = 请只填写数字。
form-error-choice = 请从选项中选择一项。
submit-error-disk-full = 本终端存储空间已满，申请未能保存，也未发送。请联系网点工作人员，或到柜台办理。
submit-error-store = 本终端暂时无法保存申请，申请未发送。请稍后再试或联系网点工作人员。

## After submitting
submitted-title = 提交成功
submitted-note = 政务服务平台已收到您的申请。凭申请编号可随时查询进度。
submitted-queued-title = 申请已保存，将自动提交
submitted-queued-note = 网络暂时中断。您的申请已保存在本终端，网络恢复后会自动提交，无需再来。
submitted-number = 申请编号
submitted-reference = 终端受理号
submitted-receipt-printing = 正在打印回执……
submitted-receipt-printed = 回执已打印，请从小票口取走。
submitted-receipt-failed = 回执未能打印：
submitted-rate = 评价本次服务
submitted-another = 办理其他事项

## Receipt (printed)
slip-heading = 一网通办 · 办件回执
slip-guide-heading = 一网通办 · 办事指南
slip-label-service = 受理部门
slip-label-item = 办理事项
slip-label-number = 申请编号
slip-label-reference = 终端受理号
slip-label-time = 提交时间
slip-label-terminal = 终端编号
slip-label-applicant = 申请人
slip-qr-caption = 扫码查看办理进度
slip-queued-caption = 网络恢复后自动提交，届时可扫码查询

## 办件查询
progress-title = 办件查询
progress-hint = 您提交的申请，最新的在前。
progress-loading = 正在查询……
progress-none = 暂无您的办件记录。
progress-retry = 重新查询
progress-updated = 更新于 { $at }
progress-error-platform = 暂时无法连接政务服务平台，请稍后再试。
progress-error-session = 身份核验已过期，请重新刷身份证后查询。
progress-error-no-session = 政务服务平台尚未确认您的身份，暂不能查询。请稍后再试或重新刷身份证。
progress-state-received = 已接收
progress-state-accepted = 已受理
progress-state-in-review = 审核中
progress-state-approved = 已批准
progress-state-rejected = 未予批准
progress-state-completed = 已办结

## 好差评
rating-title = 请评价本次服务
rating-hint = 您的评价将匿名提交给政务服务“好差评”系统。
rating-level-5 = 非常满意
rating-level-4 = 满意
rating-level-3 = 基本满意
rating-level-2 = 不满意
rating-level-1 = 非常不满意
rating-reasons = 可选：原因
rating-reason-fast = 办理快捷
rating-reason-simple = 操作简单
rating-reason-clear = 指引清晰
rating-reason-no-paper = 免交纸质材料
rating-reason-slow = 等待时间长
rating-reason-complicated = 操作复杂
rating-reason-unclear = 材料要求不清楚
rating-reason-device = 设备故障
rating-send = 提交评价
rating-skip = 跳过
rating-thanks = 感谢您的评价！

## Farewell
farewell-title = 请取走您的身份证和回执
farewell-body = 感谢使用一网通办自助终端。
farewell-privacy = 您的信息已从本终端清除。
farewell-done = 完成
