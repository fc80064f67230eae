//! Writes the sample catalogue (`assets/catalogue/catalogue.json`) and its
//! signature (`catalogue.json.sig`, by the reference platform's sample
//! key): 128 service items in 12 categories with guides and forms, the
//! birth "一件事" bundle, and 622 licence types. All of it is sample data
//! for the demo, the tests and the reference platform; the names follow
//! what Shanghai's 一网通办 offers, the departments, guides and forms are
//! simplified, and nothing here is an official text.
//!
//! Run: `cargo run -p tongban-platform-api --example generate_catalogue`

use std::collections::BTreeSet;
use std::path::Path;

use pinyin::ToPinyin;
use tongban_platform_api::catalogue::{
    Bundle, Catalogue, Category, Field, FieldKind, Guide, IdCardField, Item, LicenceType, Material,
    Text,
};
use tongban_platform_api::{Signed, sample_signing_key};

fn t(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

fn field(key: &str, zh: &str, en: &str, kind: FieldKind, required: bool) -> Field {
    let max_len = match kind {
        FieldKind::Phone => 11,
        FieldKind::IdNumber => 18,
        FieldKind::Date => 10,
        FieldKind::Number => 12,
        FieldKind::Address => 80,
        FieldKind::Text | FieldKind::Choice => 40,
    };
    Field {
        key: key.into(),
        label: t(zh, en),
        kind,
        required,
        from_id_card: None,
        choices: Vec::new(),
        max_len,
    }
}

fn from_card(mut f: Field, source: IdCardField) -> Field {
    f.from_id_card = Some(source);
    f
}

fn choice(key: &str, zh: &str, en: &str, choices: &[(&str, &str)]) -> Field {
    let mut f = field(key, zh, en, FieldKind::Choice, true);
    f.choices = choices.iter().map(|(z, e)| t(z, e)).collect();
    f
}

/// The applicant's fields every form starts with, filled from the card.
fn applicant() -> Vec<Field> {
    vec![
        from_card(
            field(
                "name",
                "申请人姓名",
                "Applicant's name",
                FieldKind::Text,
                true,
            ),
            IdCardField::Name,
        ),
        from_card(
            field(
                "id_number",
                "身份证件号码",
                "ID number",
                FieldKind::IdNumber,
                true,
            ),
            IdCardField::Number,
        ),
        field("phone", "联系电话", "Mobile phone", FieldKind::Phone, true),
    ]
}

fn pinyin_of(text: &str) -> (String, String) {
    // ü is typed as v on every pinyin keyboard (女 = nv).
    let syllables: Vec<String> = text
        .to_pinyin()
        .flatten()
        .map(|p| p.plain().replace('ü', "v"))
        .collect();
    let initials = syllables.iter().filter_map(|s| s.chars().next()).collect();
    (syllables.join(" "), initials)
}

struct CategorySpec {
    id: &'static str,
    name: (&'static str, &'static str),
    department: (&'static str, &'static str),
    days: u32,
    condition: (&'static str, &'static str),
    /// Extra fields every form of the category has.
    fields: fn() -> Vec<Field>,
    /// (zh, en, 快办, licence types standing in for materials)
    items: &'static [(&'static str, &'static str, bool, &'static [&'static str])],
}

const ID: &str = "jmsfz";

fn categories() -> Vec<CategorySpec> {
    vec![
        CategorySpec {
            id: "hukou",
            name: ("户籍", "Household registration"),
            department: (
                "区公安分局户政科",
                "District police household registration office",
            ),
            days: 5,
            condition: (
                "本市户籍居民或其法定监护人",
                "Residents with a household registration in the city, or their guardians",
            ),
            fields: || {
                // The address on the ID card is the registered one.
                vec![from_card(
                    field(
                        "address",
                        "户籍地址",
                        "Registered address",
                        FieldKind::Address,
                        true,
                    ),
                    IdCardField::Address,
                )]
            },
            items: &[
                (
                    "新生儿户口登记",
                    "Registering a newborn's household",
                    false,
                    &["csyxzm", "hkb"],
                ),
                (
                    "户口迁移（迁入）",
                    "Moving a household registration in",
                    false,
                    &["hkb", "bdcqzs"],
                ),
                (
                    "户口迁移（迁出）",
                    "Moving a household registration out",
                    false,
                    &["hkb"],
                ),
                (
                    "户口簿补领",
                    "Replacing a lost household register",
                    true,
                    &["hkb"],
                ),
                (
                    "户口簿换领",
                    "Renewing a worn household register",
                    true,
                    &["hkb"],
                ),
                (
                    "户籍信息更正",
                    "Correcting household registration details",
                    false,
                    &["hkb"],
                ),
                (
                    "身份证首次申领",
                    "First application for a resident ID card",
                    false,
                    &["hkb"],
                ),
                ("身份证换领", "Renewing a resident ID card", true, &["hkb"]),
                (
                    "身份证补领",
                    "Replacing a lost resident ID card",
                    true,
                    &["hkb"],
                ),
                (
                    "临时身份证申领",
                    "Applying for a temporary ID card",
                    true,
                    &["hkb"],
                ),
                (
                    "户籍证明开具",
                    "Household registration certificate",
                    true,
                    &["hkb"],
                ),
            ],
        },
        CategorySpec {
            id: "residence",
            name: ("居住", "Residence"),
            department: ("社区事务受理服务中心", "Community affairs service centre"),
            days: 7,
            condition: (
                "在本市合法稳定居住的非本市户籍人员",
                "Non-local residents living lawfully and steadily in the city",
            ),
            fields: || {
                vec![field(
                    "address",
                    "居住地址",
                    "Address where you live",
                    FieldKind::Address,
                    true,
                )]
            },
            items: &[
                ("居住登记", "Residence registration", true, &["zlht"]),
                (
                    "居住证首次申领",
                    "First application for a residence permit",
                    false,
                    &["zlht", "ldht"],
                ),
                ("居住证签注", "Endorsing a residence permit", true, &["jzz"]),
                (
                    "居住证补领",
                    "Replacing a lost residence permit",
                    true,
                    &["jzz"],
                ),
                ("居住证换领", "Renewing a residence permit", true, &["jzz"]),
                (
                    "居住证积分申请",
                    "Applying for residence permit points",
                    false,
                    &["jzz", "xlzs", "ldht"],
                ),
                (
                    "居住证积分续办",
                    "Renewing residence permit points",
                    true,
                    &["jzz"],
                ),
                (
                    "居住地址变更",
                    "Changing your registered address",
                    true,
                    &["jzz", "zlht"],
                ),
                ("居住证明开具", "Proof of residence", true, &["jzz"]),
                (
                    "来沪人员随迁子女登记",
                    "Registering children who moved with you",
                    false,
                    &["jzz", "csyxzm"],
                ),
            ],
        },
        CategorySpec {
            id: "social",
            name: ("社保", "Social insurance"),
            department: ("区社会保险事业管理中心", "District social insurance centre"),
            days: 3,
            condition: ("本市参保人员", "People insured in the city"),
            fields: || vec![],
            items: &[
                (
                    "社会保障卡申领",
                    "Applying for a social security card",
                    true,
                    &[],
                ),
                (
                    "社会保障卡补换",
                    "Replacing a social security card",
                    true,
                    &["sbk"],
                ),
                (
                    "社会保障卡挂失",
                    "Reporting a social security card lost",
                    true,
                    &["sbk"],
                ),
                (
                    "养老保险缴费记录查询打印",
                    "Printing your pension contribution record",
                    true,
                    &["sbk"],
                ),
                (
                    "养老保险关系转移",
                    "Transferring a pension account",
                    false,
                    &["sbk"],
                ),
                (
                    "灵活就业人员参保登记",
                    "Insurance for the self-employed",
                    true,
                    &[],
                ),
                ("退休申请", "Applying to retire", false, &["hkb", "sbk"]),
                (
                    "养老金领取资格认证",
                    "Confirming pension eligibility",
                    true,
                    &["sbk"],
                ),
                (
                    "失业保险金申领",
                    "Claiming unemployment benefit",
                    false,
                    &["sbk", "ldht"],
                ),
                (
                    "工伤认定申请",
                    "Applying for a work injury decision",
                    false,
                    &["ldht"],
                ),
                (
                    "生育津贴申领",
                    "Claiming maternity allowance",
                    false,
                    &["csyxzm", "jhz"],
                ),
                (
                    "城乡居民养老保险参保",
                    "Joining the residents' pension scheme",
                    true,
                    &["hkb"],
                ),
            ],
        },
        CategorySpec {
            id: "medical",
            name: ("医保", "Medical insurance"),
            department: ("区医疗保障事务中心", "District medical insurance centre"),
            days: 5,
            condition: (
                "本市医保参保人员",
                "People covered by the city's medical insurance",
            ),
            fields: || vec![],
            items: &[
                ("医保参保登记", "Joining medical insurance", true, &[]),
                (
                    "新生儿医保参保登记",
                    "Medical insurance for a newborn",
                    true,
                    &["csyxzm"],
                ),
                (
                    "医保关系转移接续",
                    "Transferring medical insurance",
                    false,
                    &["sbk"],
                ),
                (
                    "异地就医备案",
                    "Registering for treatment in another city",
                    true,
                    &["sbk"],
                ),
                (
                    "门诊大病登记",
                    "Registering a serious outpatient illness",
                    false,
                    &["sbk"],
                ),
                (
                    "医疗费用零星报销",
                    "Claiming medical costs paid out of pocket",
                    false,
                    &["sbk"],
                ),
                (
                    "医保缴费记录查询打印",
                    "Printing your medical insurance record",
                    true,
                    &["sbk"],
                ),
                (
                    "居民医保参保缴费",
                    "Paying residents' medical insurance",
                    true,
                    &["sbk"],
                ),
                (
                    "长期护理保险申请",
                    "Applying for long-term care insurance",
                    false,
                    &["sbk"],
                ),
                (
                    "医保电子凭证激活",
                    "Activating the electronic medical insurance card",
                    true,
                    &[],
                ),
                (
                    "生育医疗费用报销",
                    "Claiming maternity medical costs",
                    false,
                    &["csyxzm", "sbk"],
                ),
            ],
        },
        CategorySpec {
            id: "fund",
            name: ("公积金", "Housing provident fund"),
            department: ("住房公积金管理中心", "Housing provident fund centre"),
            days: 3,
            condition: (
                "本市住房公积金缴存职工",
                "Employees paying into the city's housing fund",
            ),
            fields: || {
                vec![field(
                    "amount",
                    "金额（元）",
                    "Amount (yuan)",
                    FieldKind::Number,
                    false,
                )]
            },
            items: &[
                (
                    "公积金账户查询打印",
                    "Printing your housing fund account",
                    true,
                    &[],
                ),
                (
                    "公积金缴存证明",
                    "Proof of housing fund payments",
                    true,
                    &[],
                ),
                (
                    "租房提取公积金",
                    "Withdrawing the fund to pay rent",
                    true,
                    &["zlht"],
                ),
                (
                    "购房提取公积金",
                    "Withdrawing the fund to buy a home",
                    false,
                    &["bdcqzs", "jhz"],
                ),
                (
                    "还贷提取公积金",
                    "Withdrawing the fund to repay a loan",
                    true,
                    &["bdcqzs"],
                ),
                (
                    "退休提取公积金",
                    "Withdrawing the fund on retirement",
                    false,
                    &[],
                ),
                (
                    "离职提取公积金",
                    "Withdrawing the fund on leaving the city",
                    false,
                    &["ldht"],
                ),
                (
                    "公积金贷款申请",
                    "Applying for a housing fund loan",
                    false,
                    &["bdcqzs", "jhz", "hkb"],
                ),
                (
                    "公积金账户转移",
                    "Transferring a housing fund account",
                    false,
                    &[],
                ),
                ("补充公积金查询", "Supplementary fund enquiry", true, &[]),
            ],
        },
        CategorySpec {
            id: "tax",
            name: ("税务", "Tax"),
            department: ("区税务局", "District tax bureau"),
            days: 1,
            condition: ("本市纳税人", "Taxpayers in the city"),
            fields: || vec![],
            items: &[
                (
                    "个人所得税纳税记录开具",
                    "Personal income tax record",
                    true,
                    &[],
                ),
                (
                    "个人所得税专项附加扣除",
                    "Special deductions from income tax",
                    true,
                    &["csyxzm", "xlzs"],
                ),
                (
                    "个人所得税年度汇算",
                    "Annual income tax reconciliation",
                    false,
                    &[],
                ),
                ("房产税纳税申报", "Property tax return", false, &["bdcqzs"]),
                ("契税申报", "Deed tax return", false, &["bdcqzs", "jhz"]),
                ("完税证明开具", "Tax payment certificate", true, &[]),
                ("发票代开", "Issuing an invoice on your behalf", false, &[]),
                (
                    "车船税缴纳",
                    "Paying vehicle and vessel tax",
                    true,
                    &["xsz"],
                ),
                (
                    "城乡居民社保费缴纳",
                    "Paying residents' social insurance contributions",
                    true,
                    &["sbk"],
                ),
                (
                    "纳税人身份信息确认",
                    "Confirming taxpayer identity",
                    true,
                    &[],
                ),
            ],
        },
        CategorySpec {
            id: "estate",
            name: ("不动产", "Real estate"),
            department: (
                "区不动产登记事务中心",
                "District real estate registration centre",
            ),
            days: 5,
            condition: (
                "不动产权利人或利害关系人",
                "Owners of a property, or parties with an interest in it",
            ),
            fields: || {
                vec![field(
                    "property",
                    "不动产坐落",
                    "Property address",
                    FieldKind::Address,
                    true,
                )]
            },
            items: &[
                (
                    "不动产登记信息查询",
                    "Real estate register enquiry",
                    true,
                    &["bdcqzs"],
                ),
                (
                    "不动产权证书补发",
                    "Replacing a lost property certificate",
                    false,
                    &["bdcqzs"],
                ),
                (
                    "不动产权证书换发",
                    "Renewing a property certificate",
                    false,
                    &["bdcqzs"],
                ),
                (
                    "存量房买卖转移登记",
                    "Registering the sale of a home",
                    false,
                    &["bdcqzs", "jhz"],
                ),
                (
                    "继承转移登记",
                    "Registering an inheritance",
                    false,
                    &["bdcqzs", "hkb"],
                ),
                ("抵押权登记", "Registering a mortgage", false, &["bdcqzs"]),
                ("抵押权注销登记", "Cancelling a mortgage", true, &["bdcqzs"]),
                (
                    "姓名变更登记",
                    "Changing the owner's name",
                    true,
                    &["bdcqzs", "hkb"],
                ),
                ("无房证明开具", "Proof of owning no home", true, &[]),
                (
                    "房屋租赁合同备案",
                    "Registering a tenancy agreement",
                    true,
                    &["zlht"],
                ),
            ],
        },
        CategorySpec {
            id: "family",
            name: ("婚育", "Marriage and birth"),
            department: ("区民政局婚姻登记处", "District marriage registry"),
            days: 1,
            condition: (
                "符合法定条件的当事人",
                "Parties who meet the legal conditions",
            ),
            fields: || {
                vec![
                    field(
                        "partner_name",
                        "配偶姓名",
                        "Spouse's name",
                        FieldKind::Text,
                        false,
                    ),
                    field(
                        "partner_id",
                        "配偶身份证件号码",
                        "Spouse's ID number",
                        FieldKind::IdNumber,
                        false,
                    ),
                ]
            },
            items: &[
                (
                    "结婚登记预约",
                    "Booking a marriage registration",
                    true,
                    &["hkb"],
                ),
                (
                    "离婚登记预约",
                    "Booking a divorce registration",
                    false,
                    &["jhz", "hkb"],
                ),
                (
                    "补领结婚证",
                    "Replacing a marriage certificate",
                    false,
                    &["hkb"],
                ),
                (
                    "婚姻登记记录证明",
                    "Marriage registration record",
                    true,
                    &["jhz"],
                ),
                ("生育登记", "Registering a birth plan", true, &["jhz"]),
                (
                    "出生医学证明补发",
                    "Replacing a medical birth certificate",
                    false,
                    &["csyxzm"],
                ),
                (
                    "独生子女父母光荣证补领",
                    "Replacing the only-child parents' certificate",
                    false,
                    &["jhz"],
                ),
                (
                    "育儿补贴申领",
                    "Claiming a childcare allowance",
                    true,
                    &["csyxzm"],
                ),
                (
                    "婴幼儿托育服务登记",
                    "Registering for infant day care",
                    true,
                    &["csyxzm"],
                ),
                (
                    "收养登记预约",
                    "Booking an adoption registration",
                    false,
                    &["hkb", "jhz"],
                ),
                (
                    "婚育状况证明",
                    "Proof of marital and birth status",
                    true,
                    &["jhz"],
                ),
            ],
        },
        CategorySpec {
            id: "travel",
            name: ("出行", "Travel and vehicles"),
            department: ("公安交通管理部门", "Traffic police"),
            days: 3,
            condition: (
                "持有本市核发驾驶证或车辆登记的人员",
                "Holders of a driving licence or vehicle registered in the city",
            ),
            fields: || {
                vec![field(
                    "plate",
                    "号牌号码",
                    "Number plate",
                    FieldKind::Text,
                    false,
                )]
            },
            items: &[
                (
                    "驾驶证期满换证",
                    "Renewing a driving licence",
                    true,
                    &["jsz"],
                ),
                (
                    "驾驶证补证",
                    "Replacing a lost driving licence",
                    true,
                    &["jsz"],
                ),
                ("驾驶人信息变更", "Changing driver details", true, &["jsz"]),
                (
                    "机动车行驶证补领",
                    "Replacing a vehicle licence",
                    true,
                    &["xsz"],
                ),
                (
                    "机动车检验标志申领",
                    "Vehicle inspection mark",
                    true,
                    &["xsz"],
                ),
                (
                    "交通违法记录查询打印",
                    "Printing traffic offence records",
                    true,
                    &["jsz"],
                ),
                (
                    "无犯罪记录证明开具",
                    "Certificate of no criminal record",
                    false,
                    &[],
                ),
                (
                    "出入境证件申请预约",
                    "Booking an exit-entry document application",
                    false,
                    &["hkb"],
                ),
                (
                    "往来港澳通行证再次签注",
                    "Re-endorsing a Hong Kong and Macao permit",
                    true,
                    &["gatxz"],
                ),
                (
                    "往来台湾通行证再次签注",
                    "Re-endorsing a Taiwan travel permit",
                    true,
                    &["twtxz"],
                ),
                (
                    "新能源汽车专用牌照额度申请",
                    "Plate quota for a new-energy vehicle",
                    false,
                    &["jsz", "jzz"],
                ),
            ],
        },
        CategorySpec {
            id: "education",
            name: ("教育", "Education"),
            department: ("区教育局", "District education bureau"),
            days: 10,
            condition: (
                "适龄儿童的法定监护人或在读学生",
                "Guardians of school-age children, or students",
            ),
            fields: || {
                vec![
                    field(
                        "student_name",
                        "学生姓名",
                        "Student's name",
                        FieldKind::Text,
                        true,
                    ),
                    choice(
                        "stage",
                        "学段",
                        "Stage",
                        &[
                            ("幼儿园", "Kindergarten"),
                            ("小学", "Primary"),
                            ("初中", "Junior secondary"),
                        ],
                    ),
                ]
            },
            items: &[
                (
                    "义务教育入学登记",
                    "Compulsory school enrolment",
                    false,
                    &["hkb", "bdcqzs", "jzz"],
                ),
                (
                    "幼儿园入园登记",
                    "Kindergarten enrolment",
                    false,
                    &["hkb", "csyxzm"],
                ),
                ("转学申请", "Changing schools", false, &["hkb"]),
                ("学籍证明开具", "Proof of student status", true, &[]),
                (
                    "学历证书查询打印",
                    "Printing an academic certificate record",
                    true,
                    &["xlzs"],
                ),
                ("教师资格认定", "Teacher qualification", false, &["xlzs"]),
                (
                    "家庭经济困难学生资助",
                    "Aid for students from families in hardship",
                    false,
                    &["hkb"],
                ),
                (
                    "中考报名信息确认",
                    "Confirming senior-school exam registration",
                    true,
                    &["hkb"],
                ),
                (
                    "校外培训退费申请",
                    "Refund from an off-campus training provider",
                    false,
                    &[],
                ),
                (
                    "随迁子女就学资格审核",
                    "School eligibility for children who moved here",
                    false,
                    &["jzz", "csyxzm"],
                ),
            ],
        },
        CategorySpec {
            id: "employment",
            name: ("就业", "Employment"),
            department: ("区就业促进中心", "District employment centre"),
            days: 5,
            condition: (
                "在本市求职或就业的劳动者",
                "People looking for or in work in the city",
            ),
            fields: || {
                vec![field(
                    "employer",
                    "单位名称",
                    "Employer",
                    FieldKind::Text,
                    false,
                )]
            },
            items: &[
                ("失业登记", "Registering as unemployed", true, &["ldht"]),
                ("就业登记", "Registering employment", true, &["ldht"]),
                (
                    "就业困难人员认定",
                    "Recognition as having difficulty finding work",
                    false,
                    &["hkb"],
                ),
                (
                    "职业技能培训补贴申领",
                    "Claiming a skills training subsidy",
                    false,
                    &["zyzgz"],
                ),
                (
                    "创业担保贷款申请",
                    "Applying for a start-up guaranteed loan",
                    false,
                    &["yyzz"],
                ),
                (
                    "职业资格证书查询打印",
                    "Printing a vocational qualification",
                    true,
                    &["zyzgz"],
                ),
                (
                    "高校毕业生就业报到",
                    "Graduate employment registration",
                    true,
                    &["xlzs"],
                ),
                (
                    "劳动用工备案查询",
                    "Employment filing enquiry",
                    true,
                    &["ldht"],
                ),
                (
                    "劳动人事争议调解申请",
                    "Applying for labour dispute mediation",
                    false,
                    &["ldht"],
                ),
                ("灵活就业登记", "Registering flexible employment", true, &[]),
                (
                    "求职创业补贴申领",
                    "Claiming a job-seeking subsidy",
                    false,
                    &["xlzs"],
                ),
            ],
        },
        CategorySpec {
            id: "certify",
            name: ("证明开具", "Certificates"),
            department: ("社区事务受理服务中心", "Community affairs service centre"),
            days: 1,
            condition: (
                "需要证明本人情况的居民",
                "Residents who need proof of their circumstances",
            ),
            fields: || {
                vec![choice(
                    "purpose",
                    "证明用途",
                    "What it is for",
                    &[
                        ("办理银行业务", "Banking"),
                        ("办理出国手续", "Going abroad"),
                        ("办理入学手续", "School"),
                        ("其他", "Other"),
                    ],
                )]
            },
            items: &[
                (
                    "亲属关系证明",
                    "Proof of kinship",
                    false,
                    &["hkb", "jhz", "csyxzm"],
                ),
                (
                    "死亡证明查询打印",
                    "Printing a death certificate record",
                    false,
                    &["hkb"],
                ),
                (
                    "低收入家庭证明",
                    "Proof of low household income",
                    false,
                    &["hkb"],
                ),
                (
                    "残疾人证查询打印",
                    "Printing a disability certificate",
                    true,
                    &["cjrz"],
                ),
                (
                    "老年人优待证申领",
                    "Applying for a senior citizen's card",
                    true,
                    &["hkb"],
                ),
                (
                    "退役军人优待证申领",
                    "Applying for a veteran's card",
                    false,
                    &["tyjrz"],
                ),
                (
                    "个人信用报告查询打印",
                    "Printing a personal credit report",
                    true,
                    &[],
                ),
                (
                    "社会救助证明",
                    "Proof of social assistance",
                    false,
                    &["hkb"],
                ),
                (
                    "参保缴费证明",
                    "Proof of insurance contributions",
                    true,
                    &["sbk"],
                ),
                (
                    "无违法犯罪记录查询",
                    "Checking criminal records",
                    false,
                    &[],
                ),
                (
                    "在职证明备案",
                    "Filing proof of employment",
                    true,
                    &["ldht"],
                ),
            ],
        },
    ]
}

/// The licence types items name, with their own names.
const CORE_LICENCES: &[(&str, &str, &str, &str, &str, &str)] = &[
    (
        "jmsfz",
        "居民身份证",
        "Resident ID card",
        "公安机关",
        "Public security bureau",
        "residence",
    ),
    (
        "hkb",
        "居民户口簿",
        "Household register",
        "公安机关",
        "Public security bureau",
        "generic",
    ),
    (
        "jzz",
        "上海市居住证",
        "Shanghai residence permit",
        "上海市公安局",
        "Shanghai Public Security Bureau",
        "residence",
    ),
    (
        "jhz",
        "结婚证",
        "Marriage certificate",
        "婚姻登记机关",
        "Marriage registry",
        "marriage",
    ),
    (
        "csyxzm",
        "出生医学证明",
        "Medical certificate of birth",
        "助产机构",
        "Maternity hospital",
        "generic",
    ),
    (
        "bdcqzs",
        "不动产权证书",
        "Real estate title certificate",
        "不动产登记机构",
        "Real estate registry",
        "generic",
    ),
    (
        "sbk",
        "社会保障卡",
        "Social security card",
        "人力资源和社会保障局",
        "Human resources and social security bureau",
        "generic",
    ),
    (
        "jsz",
        "机动车驾驶证",
        "Driving licence",
        "公安交通管理部门",
        "Traffic police",
        "residence",
    ),
    (
        "xsz",
        "机动车行驶证",
        "Vehicle licence",
        "公安交通管理部门",
        "Traffic police",
        "generic",
    ),
    (
        "yyzz",
        "营业执照",
        "Business licence",
        "市场监督管理局",
        "Market regulation bureau",
        "business",
    ),
    (
        "xlzs",
        "学历证书",
        "Academic certificate",
        "教育机构",
        "Educational institution",
        "generic",
    ),
    (
        "zlht",
        "房屋租赁合同登记备案证明",
        "Tenancy registration record",
        "房屋管理部门",
        "Housing bureau",
        "generic",
    ),
    (
        "ldht",
        "劳动合同备案证明",
        "Employment contract record",
        "人力资源和社会保障局",
        "Human resources and social security bureau",
        "generic",
    ),
    (
        "gatxz",
        "往来港澳通行证",
        "Hong Kong and Macao travel permit",
        "出入境管理部门",
        "Exit-entry administration",
        "residence",
    ),
    (
        "twtxz",
        "往来台湾通行证",
        "Taiwan travel permit",
        "出入境管理部门",
        "Exit-entry administration",
        "residence",
    ),
    (
        "zyzgz",
        "职业资格证书",
        "Vocational qualification certificate",
        "人力资源和社会保障局",
        "Human resources and social security bureau",
        "generic",
    ),
    (
        "cjrz",
        "残疾人证",
        "Disability certificate",
        "残疾人联合会",
        "Disabled Persons' Federation",
        "residence",
    ),
    (
        "tyjrz",
        "退役军人优待证",
        "Veteran's preferential card",
        "退役军人事务局",
        "Veterans affairs bureau",
        "residence",
    ),
];

/// The rest of the 622: permits by trade and qualifications by
/// profession, named as such documents are.
fn more_licences(out: &mut Vec<LicenceType>) {
    let trades: &[(&str, &str)] = &[
        ("食品经营", "Food business"),
        ("食品生产", "Food production"),
        ("小餐饮", "Small catering"),
        ("药品经营", "Pharmaceutical trading"),
        ("药品生产", "Pharmaceutical production"),
        ("医疗器械经营", "Medical device trading"),
        ("医疗器械生产", "Medical device production"),
        ("化妆品生产", "Cosmetics production"),
        ("烟草专卖零售", "Tobacco retail"),
        ("酒类商品零售", "Liquor retail"),
        ("出版物经营", "Publication trading"),
        ("印刷经营", "Printing"),
        ("道路运输经营", "Road transport"),
        ("网络预约出租汽车经营", "Ride-hailing operation"),
        ("危险化学品经营", "Hazardous chemicals trading"),
        ("危险废物经营", "Hazardous waste handling"),
        ("排污", "Pollutant discharge"),
        ("取水", "Water abstraction"),
        ("建筑施工", "Construction"),
        ("建筑业企业资质", "Construction enterprise"),
        ("特种设备使用", "Special equipment use"),
        ("特种设备生产", "Special equipment manufacture"),
        ("人力资源服务", "Human resources services"),
        ("劳务派遣经营", "Labour dispatch"),
        ("旅行社业务经营", "Travel agency"),
        ("娱乐场所经营", "Entertainment venue"),
        ("互联网上网服务营业场所", "Internet café"),
        ("营业性演出", "Commercial performance"),
        ("广播电视节目制作经营", "Broadcast production"),
        ("医疗机构执业", "Medical institution practice"),
        ("诊所备案", "Clinic"),
        ("民办学校办学", "Private school"),
        ("培训机构办学", "Training institution"),
        ("养老机构", "Elderly care institution"),
        ("托育机构", "Day-care institution"),
        ("物业服务", "Property management"),
        ("房地产开发企业资质", "Real estate developer"),
        ("房地产经纪机构", "Real estate agency"),
        ("二手车交易市场", "Used car market"),
        ("机动车维修经营", "Vehicle repair"),
        ("报废机动车回收", "Vehicle scrapping"),
        ("成品油零售经营", "Fuel retail"),
        ("燃气经营", "Gas supply"),
        ("水路运输经营", "Waterway transport"),
        ("港口经营", "Port operation"),
        ("快递业务经营", "Courier"),
        ("公共场所卫生", "Public place hygiene"),
        ("生活饮用水卫生", "Drinking water hygiene"),
        ("放射诊疗", "Radiological practice"),
        ("兽药经营", "Veterinary drug trading"),
        ("农药经营", "Pesticide trading"),
        ("种子生产经营", "Seed production and trading"),
        ("动物防疫条件合格", "Animal epidemic prevention"),
        ("林木采伐", "Tree felling"),
        ("占道施工", "Roadworks"),
        ("户外广告设置", "Outdoor advertising"),
        ("城市绿化工程", "Urban greening works"),
        ("消防安全检查合格", "Fire safety inspection"),
        ("安全生产", "Work safety"),
        ("民用爆炸物品", "Civil explosives"),
    ];
    let kinds: &[(&str, &str)] = &[
        ("许可证", "permit"),
        ("备案凭证", "filing record"),
        ("登记证", "registration certificate"),
        ("许可证（副本）", "permit (duplicate)"),
        ("变更证明", "change record"),
    ];
    for (zh, en) in trades {
        for (kzh, ken) in kinds {
            out.push(licence(
                &format!("{zh}{kzh}"),
                &format!("{en} {ken}"),
                "business",
            ));
        }
    }
    let professions: &[(&str, &str)] = &[
        ("执业医师", "Medical practitioner"),
        ("执业助理医师", "Assistant medical practitioner"),
        ("执业药师", "Licensed pharmacist"),
        ("护士", "Nurse"),
        ("教师", "Teacher"),
        ("律师", "Lawyer"),
        ("注册会计师", "Certified public accountant"),
        ("一级建造师", "Class I constructor"),
        ("二级建造师", "Class II constructor"),
        ("注册建筑师", "Registered architect"),
        ("注册结构工程师", "Registered structural engineer"),
        ("造价工程师", "Cost engineer"),
        ("监理工程师", "Supervision engineer"),
        ("注册安全工程师", "Registered safety engineer"),
        ("特种作业操作", "Special operations"),
        ("特种设备作业人员", "Special equipment operator"),
        ("电工", "Electrician"),
        ("焊工", "Welder"),
        ("育婴员", "Infant carer"),
        ("养老护理员", "Elderly carer"),
        ("保育员", "Child-care worker"),
        ("家政服务员", "Domestic service worker"),
        ("中式烹调师", "Chinese cook"),
        ("美容师", "Beautician"),
        ("导游", "Tour guide"),
        ("社会工作者", "Social worker"),
        ("心理咨询师", "Counsellor"),
        ("房地产经纪人", "Estate agent"),
        ("拍卖师", "Auctioneer"),
        ("保安员", "Security guard"),
        ("消防设施操作员", "Fire equipment operator"),
        ("机动车检测维修", "Vehicle inspection and repair"),
        ("出租汽车驾驶员", "Taxi driver"),
        ("网约车驾驶员", "Ride-hailing driver"),
        ("道路运输从业人员", "Road transport worker"),
        ("船员", "Seafarer"),
        ("无人机驾驶员", "Drone pilot"),
        ("统计从业", "Statistician"),
        ("会计专业技术", "Accountant"),
        ("经济专业技术", "Economist"),
        ("翻译专业", "Translator"),
        (
            "计算机技术与软件专业技术",
            "Computer and software professional",
        ),
        ("卫生专业技术", "Health professional"),
        ("社会体育指导员", "Sports instructor"),
        ("健康管理师", "Health manager"),
        ("营养师", "Nutritionist"),
        ("茶艺师", "Tea master"),
        ("花艺环境设计师", "Floral designer"),
        ("人力资源管理师", "Human resources manager"),
        ("企业合规师", "Compliance officer"),
        ("网络与信息安全管理员", "Network security administrator"),
        ("物流服务师", "Logistics specialist"),
    ];
    let certs: &[(&str, &str)] = &[
        ("资格证书", "qualification certificate"),
        ("执业证书", "practising certificate"),
        ("注册证书", "registration certificate"),
        ("职业技能等级证书", "skill level certificate"),
        ("继续教育证明", "continuing education record"),
        ("培训合格证明", "training certificate"),
    ];
    for (zh, en) in professions {
        for (czh, cen) in certs {
            out.push(licence(
                &format!("{zh}{czh}"),
                &format!("{en} {cen}"),
                "generic",
            ));
        }
    }
}

fn licence(zh: &str, en: &str, template: &str) -> LicenceType {
    LicenceType {
        code: String::new(),
        name: t(zh, en),
        issuer: t("发证机关", "Issuing authority"),
        template: template.into(),
        copies_per_day: 3,
    }
}

fn main() {
    let mut licence_types: Vec<LicenceType> = CORE_LICENCES
        .iter()
        .map(|(code, zh, en, izh, ien, template)| LicenceType {
            code: (*code).into(),
            name: t(zh, en),
            issuer: t(izh, ien),
            template: (*template).into(),
            copies_per_day: 3,
        })
        .collect();
    let mut more = Vec::new();
    more_licences(&mut more);
    let mut names: BTreeSet<String> = licence_types.iter().map(|l| l.name.zh.clone()).collect();
    for (i, mut l) in more.into_iter().enumerate() {
        if licence_types.len() == 622 {
            break;
        }
        if names.insert(l.name.zh.clone()) {
            l.code = format!("L{:04}", i + 1);
            licence_types.push(l);
        }
    }
    assert_eq!(licence_types.len(), 622, "licence types");

    let specs = categories();
    let mut items = Vec::new();
    let place = t(
        "各区社区事务受理服务中心及银行网点自助终端",
        "Community affairs service centres, and self-service terminals in bank branches",
    );
    for spec in &specs {
        for (n, (zh, en, kuaiban, licences)) in spec.items.iter().enumerate() {
            let (pinyin, initials) = pinyin_of(zh);
            let mut materials = vec![Material {
                id: "id".into(),
                name: t("申请人有效身份证件", "The applicant's identity document"),
                satisfied_by: vec![ID.into()],
            }];
            for code in *licences {
                let l = licence_types
                    .iter()
                    .find(|l| l.code == *code)
                    .expect("core licence");
                materials.push(Material {
                    id: (*code).into(),
                    name: l.name.clone(),
                    satisfied_by: vec![(*code).into()],
                });
            }
            let mut form = applicant();
            form.extend((spec.fields)());
            items.push(Item {
                id: format!("{}-{:02}", spec.id, n + 1),
                category: spec.id.into(),
                name: t(zh, en),
                pinyin,
                initials,
                department: t(spec.department.0, spec.department.1),
                guide: Guide {
                    conditions: vec![
                        t(spec.condition.0, spec.condition.1),
                        t(
                            "材料齐全、符合法定形式；已有电子证照的材料无需提交纸质件",
                            "Complete materials in the legal form; no paper for a material you hold as an electronic licence",
                        ),
                    ],
                    materials,
                    fee: t("不收费", "Free of charge"),
                    time_limit_days: if *kuaiban { 1 } else { spec.days },
                    place: place.clone(),
                },
                form,
                kuaiban: *kuaiban,
            });
        }
    }
    assert_eq!(items.len(), 128, "items");

    let birth = Bundle {
        id: "bundle-birth".into(),
        name: t("出生一件事", "Having a baby: one application"),
        items: vec![
            "hukou-01".into(),
            "medical-02".into(),
            "social-01".into(),
            "family-08".into(),
            "social-11".into(),
        ],
        form: {
            let mut f = applicant();
            f.extend([
                field(
                    "baby_name",
                    "新生儿姓名",
                    "Baby's name",
                    FieldKind::Text,
                    true,
                ),
                choice(
                    "baby_sex",
                    "新生儿性别",
                    "Baby's sex",
                    &[("男", "Male"), ("女", "Female")],
                ),
                field(
                    "baby_birth",
                    "出生日期",
                    "Date of birth",
                    FieldKind::Date,
                    true,
                ),
                field(
                    "partner_name",
                    "另一方父母姓名",
                    "Other parent's name",
                    FieldKind::Text,
                    true,
                ),
                field(
                    "partner_id",
                    "另一方父母身份证件号码",
                    "Other parent's ID number",
                    FieldKind::IdNumber,
                    true,
                ),
                field(
                    "address",
                    "户籍地址",
                    "Registered address",
                    FieldKind::Address,
                    true,
                ),
            ]);
            f
        },
    };

    let catalogue = Catalogue {
        version: 1,
        issued_at: "2026-11-24T00:00:00+08:00".into(),
        sample: true,
        categories: specs
            .iter()
            .map(|s| Category {
                id: s.id.into(),
                name: t(s.name.0, s.name.1),
            })
            .collect(),
        items,
        bundles: vec![birth],
        licence_types,
    };
    let problems = catalogue.problems();
    assert!(problems.is_empty(), "{problems:#?}");

    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/catalogue");
    std::fs::create_dir_all(&out).expect("assets/catalogue");
    let mut json = serde_json::to_vec_pretty(&catalogue).expect("serialise");
    json.push(b'\n');
    let signed = Signed::sign(&sample_signing_key(), json);
    std::fs::write(out.join("catalogue.json"), &signed.payload).expect("write catalogue");
    std::fs::write(
        out.join("catalogue.json.sig"),
        signed.signature_base64() + "\n",
    )
    .expect("write signature");
    println!(
        "assets/catalogue: {} items, {} bundle, {} licence types, {} bytes",
        catalogue.items.len(),
        catalogue.bundles.len(),
        catalogue.licence_types.len(),
        signed.payload.len()
    );
}
