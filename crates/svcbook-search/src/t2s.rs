//! Traditional → Simplified folding for the characters a service knowledge base
//! uses most, so a reader in Hong Kong or Taiwan typing `壓縮機 錯誤` finds pages
//! written `压缩机 错误`. Character-for-character only (no phrase conversion): the
//! analyzer needs one char in, one char out to keep offsets exact, and the few
//! hundred common characters here cover everyday service vocabulary without the
//! megabytes of a full OpenCC table. Characters whose Simplified form is ambiguous
//! (乾, 著, 髮/發 both → 发 is fine, 乾 is not) are left out on purpose.

use std::sync::OnceLock;

/// Pairs of (Traditional, Simplified), written adjacently.
const PAIRS: &str = "\
萬万與与專专業业東东絲丝兩两嚴严喪丧個个豐丰臨临為为麗丽舉举麼么義义烏乌樂乐喬乔習习鄉乡書书買买亂乱\
爭争於于虧亏雲云亞亚產产畝亩親亲億亿僅仅從从倉仓儀仪們们價价眾众優优會会傘伞偉伟傳传傷伤倫伦偽伪\
體体餘余傭佣係系側侧俠侠倆俩債债傾倾僱雇備备儘尽兒儿黨党蘭兰關关興兴養养獸兽內内岡冈冊册寫写軍军\
農农馮冯衝冲決决況况凍冻淨净準准涼凉減减湊凑幾几鳳凤憑凭凱凯擊击鑿凿劃划劉刘則则剛刚創创刪删別别\
劑剂劍剑劇剧勸劝辦办務务動动勵励勁劲勞劳勢势勳勋匯汇區区醫医華华協协單单賣卖盧卢衛卫卻却廠厂廳厅\
曆历厲厉壓压厭厌縣县參参雙双變变敘叙疊叠號号嘆叹嚇吓嗎吗啟启員员問问啞哑響响喚唤嘯啸團团園园圍围\
圖图圓圆聖圣場场壞坏塊块堅坚壇坛壩坝墳坟墜坠壘垒壺壶處处備备復复夠够頭头誇夸奪夺奮奋獎奖婦妇媽妈\
嬰婴學学寶宝實实寵宠審审憲宪對对尋寻導导將将爾尔嘗尝層层屬属歲岁島岛峽峡幣币師师帶带幫帮幹干\
庫库廣广慶庆廢废開开異异彈弹強强歸归當当錄录徑径後后從从徹彻復复憶忆應应懷怀態态慮虑惡恶憂忧惱恼\
慣惯願愿懶懒戰战戲戏戶户擔担擁拥據据擴扩掃扫揚扬換换損损搖摇攜携攝摄擺摆擾扰撥拨撲扑擇择擠挤擋挡\
擬拟攔拦數数斷断無无舊旧時时晝昼顯显暫暂曬晒書书會会東东條条來来極极構构槍枪樣样標标機机權权檢检\
樓楼欄栏殘残殺杀氣气漢汉湯汤溝沟滅灭滿满滯滞漲涨潔洁澤泽濕湿濾滤灣湾燈灯爐炉點点煉炼熱热營营燒烧\
燭烛爛烂牆墙狀状獨独獲获猶犹玀猡環环現现瑪玛產产畫画當当療疗癢痒發发盡尽監监盤盘眾众睜睁礙碍確确\
礎础禮礼禍祸種种積积稅税穩稳窮穷竅窍競竞筆笔節节範范築筑簡简類类糧粮緊紧紅红約约級级紀纪紋纹納纳\
純纯紙纸紛纷線线組组細细終终絕绝統统經经綠绿維维網网緒绪編编緣缘練练總总縮缩績绩繼继續续纜缆罰罚\
羅罗聯联聲声職职聽听肅肃腦脑膽胆臉脸臟脏興兴艙舱藝艺節节範范莊庄蘋苹薦荐藥药蟲虫術术補补裝装製制\
複复覺觉覽览觀观規规視视親亲記记設设許许論论試试詢询話话該该詳详語语誤误說说請请讀读課课調调談谈\
證证識识護护譯译議议讓让豐丰貝贝負负財财責责貨货質质購购貸贷費费資资賠赔賬账賴赖趨趋跡迹躍跃車车\
軟软載载輕轻輪轮較较輸输轉转辦办農农連连週周進进運运過过達达違违遠远適适遲迟選选遺遗還还邊边郵邮\
鄰邻醬酱釋释針针釘钉鋼钢鐘钟錢钱鐵铁鎖锁鏈链錯错鍵键長长門门閃闪閉闭問问閒闲間间閥阀閘闸關关闆板\
陣阵陽阳陰阴隊队階阶隨随險险隱隐難难雜杂電电霧雾靈灵靜静響响頁页項项順顺須须預预領领頻频題题額额\
顏颜願愿類类顧顾風风飛飞飯饭飲饮飽饱館馆馬马駕驾驗验驅驱髒脏鬆松魚鱼鳥鸟鹽盐麥麦黃黄齊齐齒齿龍龙\
檯台颱台臺台噸吨鏽锈溫温濃浓噴喷漏漏蓋盖鍋锅壺壶櫃柜罩罩鬧闹聯联換换賓宾帶带貼贴撿捡嗶哔擰拧鬆松\
檔档錶表訊讯訂订單单據据歷历紀纪錄录碼码報报銷销貨货維维廠厂線线條条價价費费額额戶户帳账號号";

fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let chars: Vec<char> = PAIRS.chars().filter(|c| !c.is_whitespace()).collect();
        let mut pairs: Vec<(char, char)> = chars
            .chunks_exact(2)
            .filter(|p| p[0] != p[1])
            .map(|p| (p[0], p[1]))
            .collect();
        pairs.sort_unstable();
        pairs.dedup_by_key(|p| p.0);
        pairs
    })
}

/// The Simplified form of `c`, or `c` itself.
pub fn simplify(c: char) -> char {
    // Only CJK ideographs can be in the table; keep the hot ASCII path free of lookups.
    if (c as u32) < 0x4E00 {
        return c;
    }
    let table = table();
    match table.binary_search_by_key(&c, |p| p.0) {
        Ok(i) => table[i].1,
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_service_words_fold() {
        let folded: String = "壓縮機錯誤維修報價".chars().map(simplify).collect();
        assert_eq!(folded, "压缩机错误维修报价");
    }

    #[test]
    fn table_is_pairs_and_never_maps_to_traditional() {
        let chars: Vec<char> = PAIRS.chars().filter(|c| !c.is_whitespace()).collect();
        assert_eq!(chars.len() % 2, 0, "PAIRS must hold whole pairs");
        for &(_, s) in table() {
            assert_eq!(
                simplify(s),
                s,
                "{s} is itself mapped: the table would need two passes"
            );
        }
    }
}
