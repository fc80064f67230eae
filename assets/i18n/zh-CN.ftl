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
home-applications-paused = 本终端存储空间不足，暂时不能受理新的申请，可以查看和打印办事指南。您已提交的申请不受影响，会照常送达。请到网点柜台或政务服务中心办理，或稍后再试。
home-services-disk-low = 可查看办事指南；暂不能在本机提交申请
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
identify-checking = 正在核验身份…
identify-wait = 正在向政务服务平台核验随申码，请稍候。如未扫码，请按“取消”。
identify-cancel = 取消
notice-identify-timeout = 未能及时核验您的身份。请重新扫描随申码，或使用身份证。

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
guide-disk-low = 本终端存储空间不足，暂时不能受理新的申请。您没有任何损失，已提交的申请会照常送达。请到网点柜台或指南所列办理地点办理，可以打印本指南带走，或稍后再试。
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
submit-error-disk-low = 本终端存储空间不足，暂时不能受理新的申请，这份申请未保存、未发送。您填写的内容仍在屏幕上，没有丢失；请到网点柜台或政务服务中心办理，或稍后再试。
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

## 证照打印暂停（首页）
home-licences-paused = 证照打印暂停：{ $why }其他业务照常办理。

## 暂停服务原因
oos-reason-maintenance = 设备维护中
oos-reason-supplies = 正在补充耗材
oos-reason-network = 网络故障
oos-reason-device = 设备故障
oos-auto-identification = 读卡器和扫码器均无法使用，暂时无法识别身份

## 工作人员登录
pin-title = 工作人员登录
pin-hint = 请输入工作人员密码（6–8 位数字）。
pin-clear = 清空
pin-delete = 删除
pin-cancel = 返回
pin-submit = 确定
pin-checking = 正在核对……
pin-wrong = 密码错误，还可再试 { $left } 次。
pin-locked = 密码错误次数过多，已锁定，请约 { $minutes } 分钟后再试。
pin-no-staff = 本终端未配置工作人员密码，请联系运维人员。

## 维护模式
mt-title = 维护模式
mt-signed-in = 工作人员 { $staff } · 所有操作均记入审计日志
mt-refresh = 刷新
mt-exit = 退出维护
mt-tab-devices = 设备状态
mt-tab-supplies = 耗材
mt-tab-queue = 队列与打印记录
mt-tab-service = 服务状态
mt-facts-error = 无法读取终端数据：{ $why }
mt-loading = 正在读取……
mt-none = 无
mt-devices-hint = 设备状态实时更新。红字为需要立即处理的问题及处理方法。
mt-self-check = 设备自检
mt-not-configured = 本终端未配置此设备。
mt-fix-now = 处理方法：{ $fix }
mt-last-problem = 最近一次异常：{ $at } { $what }
mt-test-print = 打印测试页
mt-check-passed = 自检通过：{ $what }
mt-check-failed = 自检未通过：{ $what }
mt-check-sam = 安全模块（SAM）正常
mt-check-sam-failed = 安全模块（SAM）异常
mt-check-scanner = 扫码器已连接
mt-check-ready = 打印机就绪
mt-check-no-answer = 设备无应答
mt-media-full = 纸张充足
mt-media-low = 纸将用尽
mt-media-out = 缺纸
mt-media-jammed = 卡纸
mt-media-unknown = 纸张状态未知
mt-toner-full = 墨粉正常
mt-toner-low = 墨粉不足
mt-toner-out = 墨粉用尽
mt-toner-unknown = 墨粉状态未知
mt-cover-closed = 盖板已关
mt-cover-open = 盖板打开
mt-cover-unknown = 盖板状态未知
mt-fix-offline = 检查设备电源和数据线（USB／串口）是否插好；仍离线请报修。
mt-fix-reader = 读卡器安全模块异常：断电重启读卡器；仍异常请报修。
mt-fix-hardware = 设备报告故障：断电重启；仍故障请报修。
mt-fix-user-error = 设备需要处理：查看设备面板提示。
mt-fix-paper-out = 打开纸盒放入 A4 纸，关好纸盒，然后在“耗材”中登记补纸。
mt-fix-paper-low = 纸将用尽：请尽快补充 A4 纸。
mt-fix-jammed = 打开打印机前盖，按机身指示取出卡住的纸，再关好盖板。
mt-fix-cover-open = 关好打印机盖板。
mt-fix-toner-out = 更换墨粉盒，然后在“耗材”中点“墨粉已更换”。
mt-fix-toner-low = 墨粉不足：请准备新墨粉盒。
mt-fix-roll-out = 换上新的凭条纸卷，关好盖板，然后在“耗材”中点“凭条纸卷已更换”。
mt-fix-roll-low = 凭条纸将用尽：请准备新纸卷。
mt-supply-a4 = A4 纸
mt-supply-toner = 墨粉
mt-supply-roll = 凭条纸卷
mt-supply-unknown = { $supply }：计数未设置，补充后请在“耗材”中登记。
mt-supply-updated = 计数更新于 { $at }
mt-a4-left = A4 纸盒约剩 { $sheets } 张（满盒 { $capacity } 张）
mt-toner-left = 墨粉约可再打印 { $pages } 页（新墨粉盒 { $capacity } 页）
mt-roll-left = 凭条纸约剩 { $metres } 米（新纸卷 { $capacity } 米）
mt-estimate-a4 = 按本机近 14 天用量（每天约 { $rate } 张），约可用 { $days } 天
mt-estimate-toner = 按本机近 14 天用量（每天约 { $rate } 页），约可用 { $days } 天
mt-estimate-roll = 按本机近 14 天用量（每天约 { $rate } 米），约可用 { $days } 天
mt-estimate-none = 近 14 天没有用量，暂无法估算可用天数
mt-supplies-hint = 补充耗材后请点对应按钮登记：计数随之更新，记入审计日志，并在下次心跳时上报平台。
mt-a4-full = A4 纸已补满（{ $sheets } 张）
mt-a4-added = 已加 { $sheets } 张
mt-roll-replaced = 凭条纸卷已更换
mt-toner-replaced = 墨粉已更换
mt-recent-restocks = 最近的耗材登记
mt-outbox = 待上报队列
mt-outbox-counts = 待发送 { $waiting } 件 · 被拒收 { $rejected } 件 · 最早一件已等待 { $age }
mt-sync-hint = 网络恢复后终端会自动发送；也可以立即同步。
mt-refused-hint = 平台拒收的提交（居民填写的内容保留 { $days } 天供处理，之后只保留事项、时间和原因）：
mt-refused-line = { $kind } · { $item } · { $at } 提交 · { $reason } · { $kept }
mt-refused-form-kept = 表单已保留
mt-refused-form-dropped = 表单已删除
mt-submission-application = 办件申请
mt-submission-rating = 评价
mt-submission-print-result = 打印结果
mt-sync = 立即同步
mt-journal = 打印记录
mt-journal-counts = 已打印 { $printed } · 失败 { $failed } · 待确认 { $uncertain } · 进行中 { $open }
mt-no-uncertain = 没有待确认的打印任务。
mt-uncertain-hint = 以下任务无法确定是否打印成功。请查看出纸口或询问居民后确认：
mt-resolve-printed = 已打印
mt-resolve-not-printed = 未打印
mt-recent-jobs = 最近的打印任务
mt-job-line = #{ $id } { $printer } · { $kind } · { $printed }/{ $pages } 页 · { $state } · { $at } { $reason }
mt-job-journalled = 已登记
mt-job-sending = 发送中
mt-job-printed = 已打印
mt-job-failed = 失败
mt-job-uncertain = 待确认
mt-age-seconds = { $n } 秒
mt-age-minutes = { $n } 分钟
mt-age-hours = { $n } 小时
mt-age-days = { $n } 天
mt-service = 服务状态
mt-in-service = 正在服务
mt-out-by-staff = 已暂停服务（工作人员）：{ $reason }
mt-out-by-platform = 已暂停服务（平台指令）：{ $reason }
mt-out-automatic = 已自动暂停服务：{ $reason }
mt-back-in-service = 恢复服务
mt-oos-choose = 暂停服务：请选择向居民显示的原因。
mt-platform-decides = 由平台指令暂停，需由平台恢复。
mt-automatic-hint = 读卡器和扫码器都无法使用时，终端会自动暂停服务，设备恢复后自动恢复。
mt-audit = 审计日志
mt-audit-line = { $at } · { $staff } · { $action } { $detail }
mt-action-maintenance-open = 进入维护
mt-action-maintenance-close = 退出维护
mt-action-maintenance-timeout = 维护超时退出
mt-action-pin-lockout = 密码锁定
mt-action-restock-a4-paper = 补充 A4 纸
mt-action-replace-receipt-roll = 更换凭条纸卷
mt-action-replace-toner = 更换墨粉
mt-action-self-check = 设备自检
mt-action-test-print = 打印测试页
mt-action-out-of-service = 暂停服务
mt-action-in-service = 恢复服务
mt-action-auto-out-of-service = 自动暂停服务
mt-action-auto-in-service = 自动恢复服务
mt-action-force-sync = 立即同步
mt-action-resolve-printed = 确认已打印
mt-action-resolve-not-printed = 确认未打印
mt-done-self-check = 自检完成：{ $passed }／{ $total } 台设备通过。
mt-done-restock = 已登记：{ $supply } 计数为 { $remaining }。
mt-done-out-of-service = 已暂停服务。居民将看到暂停服务页面和原因。
mt-done-in-service = 已恢复服务。
mt-done-sync = 已请求立即同步。
mt-done-resolved = 已确认打印任务 #{ $id }。
mt-done-test-print = 测试页已打印，请检查打印效果。
mt-test-printing = 正在打印测试页……
mt-failed-not-kept = 操作未能保存：{ $why }
mt-failed-sync = 无法同步：{ $why }
mt-failed-resolve = 无法确认：{ $why }
mt-failed-test-print = 测试页未打印：{ $why }
mt-board-supply = { $counter }，约可用 { $days } 天
mt-kind-licence = 证照
mt-kind-receipt = 凭条
mt-kind-test_page = 测试页
mt-kind-test_receipt = 测试凭条
mt-reason-no-printer = 无打印机
mt-reason-printer-not-answering = 打印机无应答
mt-reason-paper-out = 缺纸
mt-reason-paper-jam = 卡纸
mt-reason-cover-open = 盖板打开
mt-reason-toner-out = 墨粉用尽
mt-reason-printer-fault = 打印机故障
mt-reason-printer-busy = 打印机忙
mt-reason-layout-failed = 无法排版
mt-reason-journal-unavailable = 打印记录无法写入
mt-reason-the-kiosk-stopped-during-the-job = 打印中终端停止运行
mt-reason-not-printed-resolved-by-staff = 工作人员确认未打印
