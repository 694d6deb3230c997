//! Old and new forms of kanji: `fold_kanji` compares the traditional forms (kyūjitai, 舊字體) of
//! the characters simplified by the Japanese script reforms of 1946–1981 as their new forms
//! (shinjitai, 新字体): 國 = 国, 會 = 会, 關 = 関. Pre-war and post-war editions of one text
//! (the 1956 declaration as printed then and as the ministry's site gives it now) differ in
//! nothing else on many lines.
//!
//! Variant forms (itaiji, 異体字) that family and place names keep in official texts fold the
//! same way: 髙 = 高, 﨑 = 崎, 嶋 = 島, 𠮷 = 吉 — a name printed with the variant in one edition
//! and the standard form in another is the same name.
//!
//! Each old form maps to one new form, character for character, so offsets stay as they are.
//! The CJK compatibility ideographs (U+F900–U+FAFF, old forms such as 﨑 kept apart for
//! round-tripping older character sets) fold to their unified character first, as NFC does.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

/// Old form, new form — pairs of the reformed characters of the jōyō kanji.
const PAIRS: &str = "\
亞亜惡悪壓圧圍囲醫医爲為壹壱飮飲隱隠榮栄營営銳鋭衞衛驛駅悅悦閱閲圓円鹽塩緣縁艷艶\
應応歐欧毆殴櫻桜奧奥橫横溫温穩穏假仮價価畫画會会懷懐繪絵壞壊擴拡殼殻覺覚學学嶽岳\
樂楽渴渇卷巻寬寛歡歓勸勧罐缶觀観關関陷陥巖巌顏顔歸帰氣気龜亀僞偽戲戯犧犠舊旧據拠\
擧挙舉挙峽峡挾挟狹狭曉暁區区驅駆勳勲薰薫徑径惠恵溪渓經経繼継莖茎螢蛍輕軽鷄鶏藝芸\
缺欠儉倹劍剣圈圏檢検權権獻献縣県險険顯顕驗験嚴厳效効廣広恆恒鑛鉱號号國国黃黄黑黒\
濟済碎砕齋斎劑剤册冊雜雑參参慘惨棧桟蠶蚕贊賛讚讃殘残絲糸齒歯兒児辭辞濕湿實実舍舎\
寫写釋釈壽寿收収從従澁渋獸獣縱縦肅粛處処緖緒敍叙敘叙將将稱称燒焼證証奬奨獎奨條条\
狀状乘乗淨浄剩剰疊畳孃嬢讓譲釀醸觸触囑嘱寢寝愼慎晉晋眞真盡尽圖図粹粋醉酔隨随髓髄\
數数樞枢聲声靜静靑青淸清齊斉攝摂竊窃專専戰戦淺浅潛潜纖繊踐践錢銭禪禅雙双壯壮搜捜\
插挿爭争總総聰聡莊荘裝装騷騒藏蔵臟臓卽即屬属續続墮堕體体對対帶帯滯滞臺台瀧滝擇択\
澤沢單単擔担膽胆團団彈弾斷断遲遅晝昼蟲虫鑄鋳廳庁聽聴敕勅鎭鎮遞逓鐵鉄轉転點点傳伝\
黨党盜盗燈灯當当鬪闘鬭闘德徳獨独讀読屆届繩縄貳弐內内惱悩腦脳霸覇廢廃拜拝賣売麥麦\
發発髮髪拔抜蠻蛮祕秘濱浜甁瓶拂払佛仏倂併竝並邊辺邉辺辯弁瓣弁辨弁步歩寶宝豐豊沒没\
飜翻萬万滿満默黙譯訳藥薬與与豫予餘余譽誉搖揺樣様謠謡來来賴頼亂乱覽覧龍竜兩両獵猟\
綠緑壘塁淚涙勵励禮礼隸隷靈霊齡齢戀恋爐炉勞労樓楼郞郎祿禄錄録灣湾變変歷歴曆暦稻稲\
穗穂稅税說説脫脱絕絶吳呉娛娯巢巣强強徵徴涉渉攜携瀨瀬晚晩虛虚每毎彌弥增増";

/// Variant form, standard form — the itaiji of names that the standard forms replace in most
/// printings (the CJK compatibility ideograph 﨑 U+FA11 has no canonical decomposition, so it is
/// here and not left to NFC; 𠮷 is outside the Basic Multilingual Plane).
const VARIANTS: &str = "髙高﨑崎嵜崎濵浜𠮷吉舘館冨富桒桑曻昇邨村嶋島嶌島峯峰逹達槇槙";

/// The pairs, sorted by old form.
fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let chars: Vec<char> = PAIRS.chars().chain(VARIANTS.chars()).collect();
        let mut pairs: Vec<(char, char)> = chars
            .chunks_exact(2)
            .map(|p| (p[0], p[1]))
            .filter(|(old, new)| old != new)
            .collect();
        pairs.sort_unstable();
        pairs.dedup_by_key(|p| p.0);
        pairs
    })
}

/// The new form of a kanji (itself if it has no other).
#[inline]
pub fn new_form(c: char) -> char {
    let code = c as u32;
    if !(0x4E00..=0x9FFF).contains(&code)
        && !(0xF900..=0xFAFF).contains(&code)
        && !(0x20000..=0x2FFFF).contains(&code)
    {
        return c;
    }
    let c = if (0xF900..=0xFAFF).contains(&code) {
        std::iter::once(c).nfc().next().unwrap_or(c)
    } else {
        c
    };
    let pairs = table();
    match pairs.binary_search_by_key(&c, |p| p.0) {
        Ok(i) => pairs[i].1,
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table pairs two distinct Han characters each time, and no old form twice; no new
    /// form is itself an old form (folding once is enough).
    #[test]
    fn the_table_is_well_formed() {
        let chars: Vec<char> = PAIRS.chars().collect();
        assert_eq!(chars.len() % 2, 0, "an old form without its new form");
        let han = |c: char| (0x4E00..=0x9FFF).contains(&(c as u32));
        for p in chars.chunks_exact(2) {
            assert!(han(p[0]) && han(p[1]), "{}{}", p[0], p[1]);
        }
        let pairs = table();
        assert!(pairs.len() > 300, "{}", pairs.len());
        let mut seen = std::collections::BTreeMap::new();
        for p in chars.chunks_exact(2).filter(|p| p[0] != p[1]) {
            if let Some(other) = seen.insert(p[0], p[1]) {
                assert_eq!(other, p[1], "{} has two new forms", p[0]);
            }
        }
        for &(_, new) in pairs {
            assert_eq!(new_form(new), new, "{new} is also an old form");
        }
    }

    #[test]
    fn old_forms_fold_and_others_stay() {
        let fold = |s: &str| s.chars().map(new_form).collect::<String>();
        assert_eq!(
            fold("日本國とソヴィエト社會主義共和國連邦"),
            "日本国とソヴィエト社会主義共和国連邦"
        );
        assert_eq!(fold("兩國間の外交關係"), "両国間の外交関係");
        assert_eq!(fold("平和条約 1956 Статья"), "平和条約 1956 Статья");
        // A compatibility ideograph (U+FA10 塚) folds to its unified form.
        assert_eq!(new_form('\u{FA10}'), '塚');
    }

    #[test]
    fn variant_forms_of_names_fold_to_the_standard_forms() {
        let fold = |s: &str| s.chars().map(new_form).collect::<String>();
        assert_eq!(fold("髙橋・山﨑・宮嶋・𠮷田"), "高橋・山崎・宮島・吉田");
        // Every variant is a Han character (unified, compatibility or extension B) that maps to
        // a different standard form, which is no variant or old form itself.
        let chars: Vec<char> = VARIANTS.chars().collect();
        assert_eq!(chars.len() % 2, 0);
        for p in chars.chunks_exact(2) {
            let code = p[0] as u32;
            assert!(
                (0x4E00..=0x9FFF).contains(&code)
                    || (0xF900..=0xFAFF).contains(&code)
                    || (0x20000..=0x2FFFF).contains(&code),
                "{}",
                p[0]
            );
            assert_ne!(p[0], p[1]);
            assert_eq!(new_form(p[0]), p[1]);
            assert_eq!(new_form(p[1]), p[1], "{} is also a variant", p[1]);
        }
    }
}
