//! The 256-byte text block of a card (UCS-2 little-endian, space padded),
//! for the four card types, and its reverse for simulators. The identity it
//! yields is personal data: its `Debug` redacts and it is overwritten when
//! dropped.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The size of the text block.
pub const TEXT_LEN: usize = 256;

/// Card types, from the character at offset 248.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardKind {
    /// 居民身份证 (space at 248).
    ResidentId,
    /// 港澳台居民居住证 (`J`).
    HkMacaoTaiwanPermit,
    /// 外国人永久居留身份证, old format (`I`).
    ForeignPermanentOld,
    /// 外国人永久居留身份证, 2023 format (`Y`).
    ForeignPermanentNew,
}

impl CardKind {
    fn marker(self) -> char {
        match self {
            CardKind::ResidentId => ' ',
            CardKind::HkMacaoTaiwanPermit => 'J',
            CardKind::ForeignPermanentOld => 'I',
            CardKind::ForeignPermanentNew => 'Y',
        }
    }
}

/// Sex codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// `0`.
    Unknown,
    /// `1`.
    Male,
    /// `2`.
    Female,
    /// `9`.
    Unstated,
}

impl Sex {
    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "0" => Sex::Unknown,
            "1" => Sex::Male,
            "2" => Sex::Female,
            "9" => Sex::Unstated,
            _ => return None,
        })
    }

    fn code(self) -> &'static str {
        match self {
            Sex::Unknown => "0",
            Sex::Male => "1",
            Sex::Female => "2",
            Sex::Unstated => "9",
        }
    }
}

/// A calendar date from the card.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Zeroize)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31.
    pub day: u8,
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Parses `YYYYMMDD`, checking the day exists.
    pub fn parse(s: &str) -> Option<Self> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: u16 = s[0..4].parse().ok()?;
        let month: u8 = s[4..6].parse().ok()?;
        let day: u8 = s[6..8].parse().ok()?;
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days)
            .contains(&day)
            .then_some(Self { year, month, day })
    }

    fn yyyymmdd(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

/// How long a card is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Validity {
    /// Valid up to and including this date.
    Until(Date),
    /// 长期: no expiry.
    Indefinite,
}

impl Validity {
    /// Whether the card has expired on `today`.
    pub fn is_expired(self, today: Date) -> bool {
        match self {
            Validity::Until(last) => today > last,
            Validity::Indefinite => false,
        }
    }
}

/// What was wrong with a text block.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Not 256 bytes.
    #[error("text block has {0} bytes, expected 256")]
    Length(usize),
    /// Unknown card type marker.
    #[error("unknown card type marker {0:?}")]
    UnknownKind(char),
    /// A field that cannot be right (names the field, never its value).
    #[error("field {field}: {reason}")]
    Field {
        /// The field.
        field: &'static str,
        /// Why.
        reason: &'static str,
    },
}

/// Everything the text block says about the holder. Fields a card type does
/// not have are empty.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct CardIdentity {
    /// Card type.
    #[zeroize(skip)]
    pub kind: CardKind,
    /// Chinese name (may be empty on an old foreigner card).
    pub name: String,
    /// English name (foreigner cards).
    pub english_name: String,
    /// Sex.
    #[zeroize(skip)]
    pub sex: Sex,
    /// Nation code 01-56, 97, 98 (resident cards and permits), else 0.
    pub nation: u8,
    /// Nationality, GB/T 2659 alpha-3 (foreigner cards).
    pub nationality: String,
    /// Date of birth.
    pub birth: Date,
    /// Address (resident cards and permits).
    pub address: String,
    /// ID number or card number.
    pub number: String,
    /// Issuing authority (or its code).
    pub authority: String,
    /// First day of validity.
    pub valid_from: Date,
    /// Last day of validity.
    #[zeroize(skip)]
    pub valid_to: Validity,
    /// Pass number (permits).
    pub pass_number: String,
    /// Issue count (permits).
    pub issue_count: String,
    /// Card version (old foreigner cards).
    pub card_version: String,
}

impl fmt::Debug for CardIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardIdentity")
            .field("kind", &self.kind)
            .field("fields", &"<redacted>")
            .finish()
    }
}

fn ucs2(block: &[u8], offset: usize, len: usize) -> String {
    let units: Vec<u16> = block[offset..offset + len]
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    let text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    text.trim_end_matches([' ', '\0']).to_owned()
}

fn put(block: &mut [u8], offset: usize, len: usize, value: &str) {
    let mut units = value.encode_utf16();
    for i in (0..len).step_by(2) {
        let unit = units.next().unwrap_or(u16::from(b' '));
        block[offset + i..offset + i + 2].copy_from_slice(&unit.to_le_bytes());
    }
}

fn date(block: &[u8], offset: usize, field: &'static str) -> Result<Date, DecodeError> {
    Date::parse(&ucs2(block, offset, 16)).ok_or(DecodeError::Field {
        field,
        reason: "not a valid YYYYMMDD date",
    })
}

fn validity(block: &[u8], offset: usize) -> Result<Validity, DecodeError> {
    let text = ucs2(block, offset, 16);
    if text == "长期" {
        return Ok(Validity::Indefinite);
    }
    Date::parse(&text)
        .map(Validity::Until)
        .ok_or(DecodeError::Field {
            field: "valid_to",
            reason: "neither a date nor 长期",
        })
}

fn sex(block: &[u8], offset: usize) -> Result<Sex, DecodeError> {
    Sex::from_code(&ucs2(block, offset, 2)).ok_or(DecodeError::Field {
        field: "sex",
        reason: "not 0, 1, 2 or 9",
    })
}

/// Decodes a text block.
pub fn decode(block: &[u8]) -> Result<CardIdentity, DecodeError> {
    if block.len() != TEXT_LEN {
        return Err(DecodeError::Length(block.len()));
    }
    let marker = ucs2_char(block, 248);
    let kind = match marker {
        ' ' | '\0' => CardKind::ResidentId,
        'J' => CardKind::HkMacaoTaiwanPermit,
        'I' => CardKind::ForeignPermanentOld,
        'Y' => CardKind::ForeignPermanentNew,
        other => return Err(DecodeError::UnknownKind(other)),
    };
    let mut id = CardIdentity {
        kind,
        name: String::new(),
        english_name: String::new(),
        sex: Sex::Unknown,
        nation: 0,
        nationality: String::new(),
        birth: Date {
            year: 0,
            month: 0,
            day: 0,
        },
        address: String::new(),
        number: String::new(),
        authority: String::new(),
        valid_from: Date {
            year: 0,
            month: 0,
            day: 0,
        },
        valid_to: Validity::Indefinite,
        pass_number: String::new(),
        issue_count: String::new(),
        card_version: String::new(),
    };
    match kind {
        CardKind::ResidentId | CardKind::HkMacaoTaiwanPermit => {
            id.name = ucs2(block, 0, 30);
            id.sex = sex(block, 30)?;
            let nation = ucs2(block, 32, 4);
            id.nation = nation.parse().unwrap_or(0);
            if kind == CardKind::ResidentId && nation_name(id.nation).is_none() {
                return Err(DecodeError::Field {
                    field: "nation",
                    reason: "not a known nation code",
                });
            }
            id.birth = date(block, 36, "birth")?;
            id.address = ucs2(block, 52, 70);
            id.number = ucs2(block, 122, 36);
            id.authority = ucs2(block, 158, 30);
            id.valid_from = date(block, 188, "valid_from")?;
            id.valid_to = validity(block, 204)?;
            if kind == CardKind::HkMacaoTaiwanPermit {
                id.pass_number = ucs2(block, 220, 18);
                id.issue_count = ucs2(block, 238, 4);
            }
            if !id_number_is_valid(&id.number) {
                return Err(DecodeError::Field {
                    field: "number",
                    reason: "not an 18-character ID number with a valid check digit",
                });
            }
        }
        CardKind::ForeignPermanentOld => {
            id.english_name = ucs2(block, 0, 120);
            id.sex = sex(block, 120)?;
            id.number = ucs2(block, 122, 30);
            id.nationality = ucs2(block, 152, 6);
            id.name = ucs2(block, 158, 30);
            id.valid_from = date(block, 188, "valid_from")?;
            id.valid_to = validity(block, 204)?;
            id.birth = date(block, 220, "birth")?;
            id.card_version = ucs2(block, 236, 4);
            id.authority = ucs2(block, 240, 8);
        }
        CardKind::ForeignPermanentNew => {
            id.name = ucs2(block, 0, 30);
            id.sex = sex(block, 30)?;
            id.birth = date(block, 36, "birth")?;
            id.english_name = ucs2(block, 52, 70);
            id.number = ucs2(block, 122, 36);
            id.valid_from = date(block, 188, "valid_from")?;
            id.valid_to = validity(block, 204)?;
            id.nationality = ucs2(block, 242, 6);
        }
    }
    if id.number.is_empty() {
        return Err(DecodeError::Field {
            field: "number",
            reason: "empty",
        });
    }
    Ok(id)
}

fn ucs2_char(block: &[u8], offset: usize) -> char {
    char::from_u32(u32::from(u16::from_le_bytes([
        block[offset],
        block[offset + 1],
    ])))
    .unwrap_or('?')
}

/// Encodes an identity as a card would carry it (for simulators and tests).
pub fn encode(id: &CardIdentity) -> [u8; TEXT_LEN] {
    let mut block = [0u8; TEXT_LEN];
    put(&mut block, 0, TEXT_LEN, "");
    let validity = match id.valid_to {
        Validity::Indefinite => "长期".to_owned(),
        Validity::Until(d) => d.yyyymmdd(),
    };
    match id.kind {
        CardKind::ResidentId | CardKind::HkMacaoTaiwanPermit => {
            put(&mut block, 0, 30, &id.name);
            put(&mut block, 30, 2, id.sex.code());
            put(&mut block, 32, 4, &format!("{:02}", id.nation));
            put(&mut block, 36, 16, &id.birth.yyyymmdd());
            put(&mut block, 52, 70, &id.address);
            put(&mut block, 122, 36, &id.number);
            put(&mut block, 158, 30, &id.authority);
            put(&mut block, 188, 16, &id.valid_from.yyyymmdd());
            put(&mut block, 204, 16, &validity);
            if id.kind == CardKind::HkMacaoTaiwanPermit {
                put(&mut block, 220, 18, &id.pass_number);
                put(&mut block, 238, 4, &id.issue_count);
            }
        }
        CardKind::ForeignPermanentOld => {
            put(&mut block, 0, 120, &id.english_name);
            put(&mut block, 120, 2, id.sex.code());
            put(&mut block, 122, 30, &id.number);
            put(&mut block, 152, 6, &id.nationality);
            put(&mut block, 158, 30, &id.name);
            put(&mut block, 188, 16, &id.valid_from.yyyymmdd());
            put(&mut block, 204, 16, &validity);
            put(&mut block, 220, 16, &id.birth.yyyymmdd());
            put(&mut block, 236, 4, &id.card_version);
            put(&mut block, 240, 8, &id.authority);
        }
        CardKind::ForeignPermanentNew => {
            put(&mut block, 0, 30, &id.name);
            put(&mut block, 30, 2, id.sex.code());
            put(&mut block, 36, 16, &id.birth.yyyymmdd());
            put(&mut block, 52, 70, &id.english_name);
            put(&mut block, 122, 36, &id.number);
            put(&mut block, 188, 16, &id.valid_from.yyyymmdd());
            put(&mut block, 204, 16, &validity);
            put(&mut block, 242, 6, &id.nationality);
        }
    }
    let unit = id.kind.marker() as u16;
    block[248..250].copy_from_slice(&unit.to_le_bytes());
    block
}

/// The 56 ethnic groups in GB 3304 order, then 97 and 98.
const NATIONS: [&str; 56] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// The name of a nation code (01 汉 … 56 基诺, 97 其他, 98 外国血统中国籍人士).
pub fn nation_name(code: u8) -> Option<&'static str> {
    match code {
        1..=56 => Some(NATIONS[usize::from(code) - 1]),
        97 => Some("其他"),
        98 => Some("外国血统中国籍人士"),
        _ => None,
    }
}

/// Whether an 18-character ID number has a valid GB 11643 check digit.
pub fn id_number_is_valid(number: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let bytes = number.as_bytes();
    if bytes.len() != 18 || !bytes[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    bytes[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// A fictional resident (the number is the protocol notes' example).
    pub(crate) fn resident() -> CardIdentity {
        CardIdentity {
            kind: CardKind::ResidentId,
            name: "测试甲".into(),
            english_name: String::new(),
            sex: Sex::Female,
            nation: 1,
            nationality: String::new(),
            birth: d("19491231"),
            address: "上海市浦东新区示例路1号".into(),
            number: "11010519491231002X".into(),
            authority: "上海市公安局浦东分局".into(),
            valid_from: d("20200101"),
            valid_to: Validity::Indefinite,
            pass_number: String::new(),
            issue_count: String::new(),
            card_version: String::new(),
        }
    }

    #[test]
    fn a_resident_card_round_trips_through_its_text_block() {
        let id = resident();
        let block = encode(&id);
        assert_eq!(&block[248..250], &[0x20, 0x00]);
        let back = decode(&block).unwrap();
        assert_eq!(back, id);
        assert_eq!(nation_name(back.nation), Some("汉"));
    }

    #[test]
    fn all_four_card_types_decode() {
        let mut permit = resident();
        permit.kind = CardKind::HkMacaoTaiwanPermit;
        permit.number = "440524188001010014".into();
        permit.pass_number = "H00000000".into();
        permit.issue_count = "01".into();
        let back = decode(&encode(&permit)).unwrap();
        assert_eq!(back.kind, CardKind::HkMacaoTaiwanPermit);
        assert_eq!(back.pass_number, "H00000000");

        let mut old = resident();
        old.kind = CardKind::ForeignPermanentOld;
        old.english_name = "SAMPLE, TEST PERSON".into();
        old.number = "USA310000000000".into();
        old.nationality = "USA".into();
        old.name = "测试".into();
        old.nation = 0;
        old.address = String::new();
        old.authority = "1500".into();
        old.card_version = "01".into();
        old.valid_to = Validity::Until(d("20300101"));
        let back = decode(&encode(&old)).unwrap();
        assert_eq!(back, old);

        let mut new = old.clone();
        new.kind = CardKind::ForeignPermanentNew;
        new.number = "931840000000000000".into();
        new.authority = String::new();
        new.card_version = String::new();
        let back = decode(&encode(&new)).unwrap();
        assert_eq!(back, new);
    }

    #[test]
    fn bad_fields_are_named_without_their_values() {
        let mut id = resident();
        id.number = "110105194912310021".into();
        let err = decode(&encode(&id)).unwrap_err();
        assert_eq!(
            err,
            DecodeError::Field {
                field: "number",
                reason: "not an 18-character ID number with a valid check digit"
            }
        );
        assert!(!err.to_string().contains("1101051949"));

        let mut block = encode(&resident());
        block[248] = b'Q';
        assert_eq!(decode(&block).unwrap_err(), DecodeError::UnknownKind('Q'));
        assert_eq!(decode(&block[..100]).unwrap_err(), DecodeError::Length(100));

        let mut block = encode(&resident());
        put(&mut block, 36, 16, "19490230");
        assert!(matches!(
            decode(&block),
            Err(DecodeError::Field { field: "birth", .. })
        ));
    }

    #[test]
    fn check_digits_follow_gb_11643() {
        assert!(id_number_is_valid("11010519491231002X"));
        assert!(id_number_is_valid("11010519491231002x"));
        assert!(id_number_is_valid("440524188001010014"));
        assert!(!id_number_is_valid("440524188001010015"));
        assert!(!id_number_is_valid("44052418800101001"));
        assert!(!id_number_is_valid("4405241880010100１4"));
    }

    #[test]
    fn validity_knows_changqi_and_expiry() {
        let today = d("20261124");
        assert!(!Validity::Indefinite.is_expired(today));
        assert!(Validity::Until(d("20261123")).is_expired(today));
        assert!(!Validity::Until(d("20261124")).is_expired(today));
        assert_eq!(Date::parse("20240229"), Some(d("20240229")));
        assert_eq!(Date::parse("20230229"), None);
    }

    #[test]
    fn nation_codes_cover_the_56_groups_and_97_98() {
        assert_eq!(nation_name(1), Some("汉"));
        assert_eq!(nation_name(56), Some("基诺"));
        assert_eq!(nation_name(97), Some("其他"));
        assert_eq!(nation_name(98), Some("外国血统中国籍人士"));
        assert_eq!(nation_name(57), None);
        assert_eq!(nation_name(0), None);
    }

    #[test]
    fn debug_output_shows_no_personal_data() {
        let text = format!("{:?}", resident());
        assert!(
            !text.contains("测试甲") && !text.contains("11010519491231002X"),
            "{text}"
        );
    }
}
