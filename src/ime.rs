//! Chinese input by pinyin for the on-screen keyboard: the resident types
//! letters, a candidate bar offers characters, tapping one writes it and
//! consumes its syllable. A terminal has no physical keyboard and no input
//! method of the desktop, so the kiosk carries its own.
//!
//! The table maps every syllable to the characters read that way (every
//! reading of a character with several), ordered by how likely a resident
//! wants them: the characters of everyday text first (`COMMON`, most
//! frequent first), then GB 2312 level 1 (the 3,755 characters in common
//! use), then level 2, then the rest. It is built once, on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use pinyin::ToPinyinMulti;

/// Characters of everyday Chinese text, the most frequent first: what the
/// candidate bar shows first for a syllable. Names, addresses and the
/// words of government forms are in it.
const COMMON: &str = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴落户口簿身份证居住社保医公积金税务不动产婚育出行教育就业证明开具申请登记迁入移补领换临时残疾老年优待信用报告查询打印缴费职备案上海市区县镇乡街道路弄号室楼栋幢村组浦东黄徐汇长宁静安普陀虹口杨闵行宝山嘉定金山松江青浦奉贤崇明男女父母配偶子女婴出生结离姓名电话地址邮编单位工作学校幼儿园小初高中大学生医院银行姜王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段漕钱汤尹黎易常武乔贺赖龚文";

/// The syllable table, built on first use.
fn table() -> &'static HashMap<String, Vec<char>> {
    static TABLE: OnceLock<HashMap<String, Vec<char>>> = OnceLock::new();
    TABLE.get_or_init(build)
}

fn rank(c: char, common: &HashMap<char, usize>) -> (u8, usize) {
    if let Some(&i) = common.get(&c) {
        return (0, i);
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    if unmappable || bytes.len() != 2 {
        return (4, c as usize);
    }
    let code = usize::from(bytes[0]) << 8 | usize::from(bytes[1]);
    // GB 2312 is the part of GBK whose trail byte is A1–FE; GBK's own
    // additions share the lead bytes with trail bytes below A1.
    match (bytes[0], bytes[1] >= 0xA1) {
        (0xB0..=0xD7, true) => (1, code),
        (0xD8..=0xF7, true) => (2, code),
        _ => (3, code),
    }
}

fn build() -> HashMap<String, Vec<char>> {
    let mut common = HashMap::new();
    for (i, c) in COMMON.chars().enumerate() {
        common.entry(c).or_insert(i);
    }
    let mut table: HashMap<String, Vec<char>> = HashMap::new();
    let ranges = ['\u{4E00}'..='\u{9FFF}', '\u{3400}'..='\u{4DBF}'];
    for c in ranges.into_iter().flatten() {
        let Some(multi) = c.to_pinyin_multi() else {
            continue;
        };
        for reading in multi {
            let plain = reading.plain().replace('ü', "v");
            let list = table.entry(plain).or_default();
            if !list.contains(&c) {
                list.push(c);
            }
        }
    }
    for list in table.values_mut() {
        list.sort_by_key(|&c| rank(c, &common));
    }
    table
}

/// What the candidate bar offers for the letters typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Candidates {
    /// How many of the typed letters a chosen candidate consumes (the
    /// first syllable, or all of them while it is still being typed).
    pub consumes: usize,
    /// The syllable(s) offered, as shown above the candidates.
    pub reading: String,
    /// Characters, most likely first.
    pub chars: Vec<char>,
}

/// Whether `letters` is a syllable of the table.
pub fn is_syllable(letters: &str) -> bool {
    table().contains_key(letters)
}

/// The candidates for the letters typed (lower case a–z, v for ü): the
/// longest syllable the letters start with; while no syllable is complete
/// yet ("zh"), the characters of every syllable that starts so, merged by
/// likelihood.
pub fn candidates(letters: &str) -> Candidates {
    let letters = letters.to_ascii_lowercase();
    if letters.is_empty() {
        return Candidates::default();
    }
    let table = table();
    let longest = (1..=letters.len().min(6))
        .rev()
        .find(|&n| table.contains_key(&letters[..n]));
    if let Some(n) = longest {
        return Candidates {
            consumes: n,
            reading: letters[..n].to_owned(),
            chars: table[&letters[..n]].clone(),
        };
    }
    // Not a syllable yet: every syllable it begins.
    let mut common = HashMap::new();
    for (i, c) in COMMON.chars().enumerate() {
        common.entry(c).or_insert(i);
    }
    let mut chars: Vec<char> = table
        .iter()
        .filter(|(s, _)| s.starts_with(letters.as_str()))
        .flat_map(|(_, cs)| cs.iter().copied())
        .collect();
    chars.sort_by_key(|&c| rank(c, &common));
    chars.dedup();
    Candidates {
        consumes: letters.len(),
        reading: letters,
        chars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syllable_offers_its_common_characters_first() {
        let c = candidates("hu");
        assert_eq!(c.consumes, 2);
        let first: String = c.chars.iter().take(8).collect();
        assert!(first.contains('户'), "{first}");
        let c = candidates("kou");
        assert_eq!(c.chars[0], '口');
        assert!(candidates("zhang").chars[..8].contains(&'张'));
        // Characters in common use before rare ones.
        let shang: String = candidates("shang").chars.iter().take(8).collect();
        assert!(shang.contains('伤') && shang.contains('赏'), "{shang}");
        // A heteronym sits under each of its readings.
        assert!(candidates("hang").chars.contains(&'行'));
        assert!(candidates("xing").chars.contains(&'行'));
    }

    #[test]
    fn the_first_syllable_of_several_is_offered_and_consumed() {
        let c = candidates("hukou");
        assert_eq!((c.consumes, c.reading.as_str()), (2, "hu"));
        let c = candidates("zhangsan");
        assert_eq!(c.reading, "zhang");
        // ü is typed as v.
        assert!(candidates("nv").chars.contains(&'女'));
    }

    #[test]
    fn a_syllable_not_finished_offers_every_syllable_it_begins() {
        // "zh" alone is no syllable: 中, 张 … come from zhong, zhang.
        let c = candidates("zh");
        assert_eq!(c.consumes, 2);
        assert!(c.chars[..20].contains(&'中'), "{:?}", &c.chars[..20]);
        assert!(candidates("").chars.is_empty());
        assert!(is_syllable("shang") && !is_syllable("shx"));
    }
}
