//! Fictional card holders for tests and the demo: one of each card type, an
//! expired card. Names read 测试 ("test") and the numbers belong to nobody
//! (the resident numbers are the protocol notes' published examples).

use ga467::text::{CardIdentity, CardKind, Date, Sex, Validity};

fn date(s: &str) -> Date {
    Date::parse(s).expect("valid sample date")
}

fn base(kind: CardKind) -> CardIdentity {
    CardIdentity {
        kind,
        name: String::new(),
        english_name: String::new(),
        sex: Sex::Female,
        nation: 0,
        nationality: String::new(),
        birth: date("19491231"),
        address: String::new(),
        number: String::new(),
        authority: String::new(),
        valid_from: date("20200101"),
        valid_to: Validity::Indefinite,
        pass_number: String::new(),
        issue_count: String::new(),
        card_version: String::new(),
    }
}

/// A resident ID card, valid for life (长期); an elderly holder.
pub fn resident() -> CardIdentity {
    let mut id = base(CardKind::ResidentId);
    id.name = "测试居民甲".into();
    id.nation = 1;
    id.address = "上海市浦东新区示例路1号".into();
    id.number = "11010519491231002X".into();
    id.authority = "上海市公安局浦东分局".into();
    id
}

/// A resident ID card that expired on 2020-01-01.
pub fn expired_resident() -> CardIdentity {
    let mut id = base(CardKind::ResidentId);
    id.name = "测试居民乙".into();
    id.sex = Sex::Male;
    id.nation = 3;
    id.birth = date("18800101");
    id.address = "上海市黄浦区示例路2号".into();
    id.number = "440524188001010014".into();
    id.authority = "上海市公安局黄浦分局".into();
    id.valid_from = date("20000101");
    id.valid_to = Validity::Until(date("20200101"));
    id
}

/// A Hong Kong/Macao/Taiwan residence permit.
pub fn permit() -> CardIdentity {
    let mut id = base(CardKind::HkMacaoTaiwanPermit);
    id.name = "测试港澳".into();
    id.nation = 1;
    id.address = "上海市徐汇区示例路3号".into();
    id.number = "11010519491231002X".into();
    id.authority = "上海市公安局".into();
    id.valid_to = Validity::Until(date("20300101"));
    id.pass_number = "H00000000".into();
    id.issue_count = "01".into();
    id
}

/// An old-format foreigner permanent residence card.
pub fn foreigner_old() -> CardIdentity {
    let mut id = base(CardKind::ForeignPermanentOld);
    id.name = "测试外籍".into();
    id.english_name = "TEST, SAMPLE PERSON".into();
    id.nationality = "USA".into();
    id.number = "USA310000000000".into();
    id.authority = "1500".into();
    id.card_version = "01".into();
    id.valid_to = Validity::Until(date("20300101"));
    id
}

/// A 2023-format foreigner permanent residence card.
pub fn foreigner_new() -> CardIdentity {
    let mut id = base(CardKind::ForeignPermanentNew);
    id.name = "测试新版".into();
    id.english_name = "SAMPLE, TEST".into();
    id.nationality = "CAN".into();
    id.number = "931240000000000000".into();
    id.valid_to = Validity::Until(date("20330101"));
    id
}
