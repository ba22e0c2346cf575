//! Line templates: records, logs, chat, forms and prose, with identifiers and look-alikes.

use crate::Label;
use crate::generator::Gen;
use crate::ids::MobileForm;
use crate::tables::{CHAT_OPENERS, LOG_EVENTS, SERVICES};

/// A record field that carries personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Name,
    ResidentId,
    Mobile,
    Email,
    Address,
    BankCard,
    Ipv4,
    Landline,
}

impl Field {
    const ALL: [Field; 8] = [
        Field::Name,
        Field::ResidentId,
        Field::Mobile,
        Field::Email,
        Field::Address,
        Field::BankCard,
        Field::Ipv4,
        Field::Landline,
    ];

    /// JSON keys used for the field in real exports.
    fn keys(self) -> &'static [&'static str] {
        match self {
            Field::Name => &["name", "姓名", "customer_name", "contact"],
            Field::ResidentId => &["id_card", "idNo", "身份证号", "cert_no"],
            Field::Mobile => &["mobile", "phone", "手机号", "tel"],
            Field::Email => &["email", "邮箱", "mail"],
            Field::Address => &["address", "地址", "addr", "收货地址"],
            Field::BankCard => &["bank_card", "card_no", "银行卡号", "account"],
            Field::Ipv4 => &["ip", "client_ip", "login_ip"],
            Field::Landline => &["tel", "office_phone", "座机"],
        }
    }
}

impl Gen {
    /// Appends a labelled value of a record field.
    fn field(&mut self, f: Field) {
        match f {
            Field::Name => self.labelled(Label::Person, Gen::person_name),
            Field::ResidentId => self.labelled(Label::ResidentId, Gen::resident_id),
            Field::Mobile => self.labelled_mobile(),
            Field::Email => self.labelled(Label::Email, Gen::email),
            Field::Address => self.labelled(Label::Address, Gen::address),
            Field::BankCard => self.labelled(Label::BankCard, Gen::bank_card),
            Field::Ipv4 => self.labelled(Label::Ipv4, Gen::ipv4),
            Field::Landline => self.labelled(Label::Landline, Gen::landline),
        }
    }

    fn labelled_mobile(&mut self) {
        let form = *self.pick(&MobileForm::ALL);
        self.labelled(Label::Phone, |g| g.mobile(form));
    }

    /// A few distinct fields, name first when present.
    fn fields(&mut self, min: u32) -> Vec<Field> {
        let mut out: Vec<Field> = Field::ALL.into_iter().filter(|_| self.chance(50)).collect();
        for f in Field::ALL {
            if out.len() as u32 >= min {
                break;
            }
            if !out.contains(&f) {
                out.push(f);
            }
        }
        out
    }

    /// One line of the dense mix (no trailing newline): most carry several identifiers.
    pub fn dense_line(&mut self) {
        match self.below(0, 100) {
            0..=14 => self.csv_record(),
            15..=29 => self.json_record(),
            30..=44 => self.log_line(),
            45..=54 => self.chat_line(),
            55..=63 => self.kyc_sentence(),
            64..=67 => self.device_line(),
            68..=71 => self.company_line(),
            72..=75 => self.travel_line(),
            76..=79 => self.network_line(),
            80..=83 => self.secret_line(),
            84..=94 => self.distractor_line(),
            _ => self.sparse_line(),
        }
    }

    /// One paragraph of the sparse mix: prose, with an identifier every few kilobytes.
    pub fn sparse_line(&mut self) {
        let sentences = self.below(2, 7);
        let with_id = self.chance(12).then(|| self.below(0, sentences));
        let with_lookalike = self.chance(10).then(|| self.below(0, sentences));
        for i in 0..sentences {
            self.prose_sentence();
            if with_id == Some(i) {
                self.prose_identifier();
            }
            if with_lookalike == Some(i) {
                self.prose_lookalike();
            }
        }
    }

    /// A sentence of prose built around one identifier.
    fn prose_identifier(&mut self) {
        match self.below(0, 8) {
            0 => {
                self.lit("如有疑问请致电");
                self.labelled_mobile();
                self.lit("。");
            }
            1 => {
                self.lit("联系人：");
                self.field(Field::Name);
                self.lit("，");
                self.field(Field::Mobile);
                self.lit("。");
            }
            2 => {
                self.lit("请将材料寄至");
                self.field(Field::Address);
                self.lit("。");
            }
            3 => {
                self.lit("简历请发送至邮箱");
                self.field(Field::Email);
                self.lit("。");
            }
            4 => {
                self.lit("申请人身份证号");
                self.field(Field::ResidentId);
                self.lit("，已核验。");
            }
            5 => {
                self.lit("工资将发放至尾号所在银行卡");
                self.field(Field::BankCard);
                self.lit("。");
            }
            6 => {
                self.lit("服务器地址为");
                self.field(Field::Ipv4);
                self.lit("，请勿外传。");
            }
            _ => {
                self.field(Field::Name);
                let title = if self.chance(50) { "先生" } else { "女士" };
                self.lit(title);
                self.lit("表示将按期完成。");
            }
        }
    }

    /// A sentence of prose with a number that is not an identifier.
    fn prose_lookalike(&mut self) {
        match self.below(0, 4) {
            0 => {
                self.lit("订单");
                self.order_no();
                self.lit("已发货，金额");
                self.amount();
                self.lit("。");
            }
            1 => {
                self.lit("新版本");
                self.version();
                self.lit("于");
                self.datetime();
                self.lit("发布。");
            }
            2 => {
                self.lit("交易流水号");
                self.txn_no();
                self.lit("。");
            }
            _ => {
                self.lit("本次抽检合格率为");
                self.decimal();
                self.lit("。");
            }
        }
    }

    fn csv_record(&mut self) {
        let fields = self.fields(3);
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.lit(",");
            }
            self.field(f);
        }
        if self.chance(40) {
            self.lit(",");
            self.datetime();
            self.lit(",");
            self.amount();
        }
    }

    fn json_record(&mut self) {
        let fields = self.fields(3);
        self.lit("{");
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.lit(", ");
            }
            let key = self.pick(f.keys());
            self.lit("\"");
            self.lit(key);
            self.lit("\": \"");
            self.field(f);
            self.lit("\"");
        }
        if self.chance(30) {
            self.lit(", \"order_id\": \"");
            self.order_no();
            self.lit("\", \"created_at\": \"");
            self.datetime();
            self.lit("\"");
        }
        self.lit("}");
    }

    fn log_line(&mut self) {
        self.datetime();
        self.lit(".");
        let ms = self.below(0, 1000);
        self.num_padded(ms, 3);
        let level = *self.pick(&[" INFO ", " INFO ", " WARN ", " DEBUG "]);
        self.lit(level);
        self.lit("[");
        let svc = self.pick(SERVICES);
        self.lit(svc);
        self.lit("] ");
        let ev = self.pick(LOG_EVENTS);
        self.lit(ev);
        self.lit(" uid=");
        let uid = self.below(10_000, 99_999_999);
        self.num(uid);
        self.lit(" ip=");
        self.field(Field::Ipv4);
        if self.chance(70) {
            self.lit(" mobile=");
            self.labelled(Label::Phone, |g| g.mobile(MobileForm::Plain));
        }
        if self.chance(40) {
            self.lit(" id_no=");
            self.field(Field::ResidentId);
        }
        if self.chance(30) {
            self.lit(" email=");
            self.field(Field::Email);
        }
        self.lit(" trace=");
        self.chars_from(b"0123456789abcdef", 16);
        self.lit(" cost=");
        let ms = self.below(1, 900);
        self.num(ms);
        self.lit("ms");
    }

    fn chat_line(&mut self) {
        self.lit("[");
        let (h, m) = (self.below(0, 24), self.below(0, 60));
        self.num_padded(h, 2);
        self.lit(":");
        self.num_padded(m, 2);
        self.lit("] ");
        self.field(Field::Name);
        self.lit("：");
        let opener = self.pick(CHAT_OPENERS);
        self.lit(opener);
        self.lit("，");
        match self.below(0, 5) {
            0 => {
                self.lit("我的手机号是");
                self.labelled_mobile();
                self.lit("，有事打我电话");
            }
            1 => {
                self.lit("身份证号");
                self.field(Field::ResidentId);
                self.lit("，帮我查下进度");
            }
            2 => {
                self.lit("快递寄到");
                self.field(Field::Address);
                self.lit("，收件人");
                self.field(Field::Name);
                self.lit("，电话");
                self.labelled_mobile();
            }
            3 => {
                self.lit("退款打到这张卡");
                self.field(Field::BankCard);
                self.lit("就行");
            }
            _ => {
                self.lit("发我邮箱");
                self.field(Field::Email);
                self.lit("吧，谢谢");
            }
        }
    }

    fn kyc_sentence(&mut self) {
        self.lit("客户");
        self.field(Field::Name);
        self.lit("（身份证号");
        if self.chance(10) {
            self.labelled(Label::ResidentId, Gen::legacy_resident_id);
        } else {
            self.field(Field::ResidentId);
        }
        self.lit("）于");
        let (y, m, d) = self.date(2015, 2026);
        self.num(y);
        self.lit("年");
        self.num(m);
        self.lit("月");
        self.num(d);
        self.lit("日在我行开户，卡号");
        self.field(Field::BankCard);
        self.lit("，预留手机");
        self.labelled_mobile();
        self.lit("，住址");
        self.field(Field::Address);
        self.lit("。");
    }

    fn device_line(&mut self) {
        self.lit("设备信息 IMEI:");
        self.labelled(Label::Imei, Gen::imei);
        self.lit(" IMSI:");
        self.labelled(Label::Imsi, Gen::imsi);
        self.lit(" ICCID:");
        self.labelled(Label::Iccid, Gen::iccid);
        self.lit(" MAC:");
        self.labelled(Label::MacAddress, Gen::mac);
        if self.chance(50) {
            self.lit(" 定位 ");
            self.labelled(Label::GeoCoordinate, Gen::coordinate);
        }
    }

    fn company_line(&mut self) {
        self.labelled(Label::Company, Gen::company);
        self.lit("，统一社会信用代码：");
        self.labelled(Label::Uscc, Gen::uscc);
        if self.chance(40) {
            self.lit("，组织机构代码：");
            self.labelled(Label::OrgCode, Gen::org_code);
        }
        self.lit("，法定代表人：");
        self.field(Field::Name);
        self.lit("，注册地址：");
        self.field(Field::Address);
        self.lit("，联系电话：");
        self.field(Field::Landline);
        self.lit("。");
    }

    fn travel_line(&mut self) {
        self.lit("旅客");
        self.field(Field::Name);
        self.lit("，护照号码");
        self.labelled(Label::Passport, Gen::passport);
        if self.chance(50) {
            self.lit("，往来港澳通行证");
            self.labelled(Label::HkMacauPermit, Gen::hk_macau_permit);
        }
        self.lit("，车牌号");
        self.labelled(Label::VehiclePlate, Gen::plate);
        self.lit("，经纬度");
        self.labelled(Label::GeoCoordinate, Gen::coordinate);
        self.lit("。");
    }

    fn network_line(&mut self) {
        self.lit("来源IP ");
        self.field(Field::Ipv4);
        self.lit(" 端口 ");
        let port = *self.pick(&[22u32, 80, 443, 3306, 6379, 8080, 8443, 9092]);
        self.num(port);
        self.lit("，IPv6 ");
        self.labelled(Label::Ipv6, Gen::ipv6);
        self.lit("，MAC地址 ");
        self.labelled(Label::MacAddress, Gen::mac);
        self.lit("，客户端版本 ");
        self.version();
    }

    fn secret_line(&mut self) {
        const PASSWORD: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%@*_";
        const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const BASE64URL: &[u8] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        match self.below(0, 5) {
            0 => {
                let key =
                    *self.pick(&["db.password=", "password: ", "PASSWORD=", "redis_passwd = "]);
                self.lit(key);
                let n = self.below(10, 20);
                self.labelled(Label::Secret, |g| g.chars_from(PASSWORD, n));
            }
            1 => {
                self.lit("aws_access_key_id = ");
                self.labelled(Label::Secret, |g| {
                    g.lit("AKIA");
                    g.chars_from(UPPER_DIGITS, 16);
                });
            }
            2 => {
                self.lit("阿里云 AccessKeyId: ");
                self.labelled(Label::Secret, |g| {
                    g.lit("LTAI5t");
                    g.chars_from(ALNUM, 18);
                });
            }
            3 => {
                self.lit("私钥如下：\n");
                self.labelled(Label::Secret, |g| {
                    g.lit("-----BEGIN RSA PRIVATE KEY-----\n");
                    let lines = g.below(3, 7);
                    for _ in 0..lines {
                        g.chars_from(BASE64, 64);
                        g.lit("\n");
                    }
                    g.lit("-----END RSA PRIVATE KEY-----");
                });
            }
            _ => {
                self.lit("Authorization: Bearer ");
                self.labelled(Label::Secret, |g| {
                    g.lit("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ");
                    let n = g.below(40, 90);
                    g.chars_from(BASE64URL, n);
                    g.lit(".");
                    g.chars_from(BASE64URL, 43);
                });
            }
        }
    }

    /// A line of numbers that look like identifiers and are not.
    fn distractor_line(&mut self) {
        match self.below(0, 7) {
            0 => {
                self.lit("订单号");
                self.order_no();
                self.lit("已于");
                self.datetime();
                self.lit("支付成功，交易流水号");
                self.txn_no();
                self.lit("，金额");
                self.amount();
                self.lit("。");
            }
            1 => {
                self.lit("批次编号");
                self.wrong_resident_id();
                self.lit("，入库时间");
                self.compact_timestamp();
                self.lit("，数量");
                let n = self.below(1, 500);
                self.num(n);
            }
            2 => {
                self.lit("release ");
                self.version();
                self.lit(" listening on 0.0.0.0:");
                let port = self.below(1024, 65535);
                self.num(port);
                self.lit(" build ");
                self.compact_timestamp();
            }
            3 => {
                // A Luhn-valid IMEI with no context word is just a number.
                self.lit("产品序列号 ");
                self.imei();
                self.lit("，出厂日期 ");
                let (y, m, d) = self.date(2018, 2026);
                self.num(y);
                self.lit("-");
                self.num_padded(m, 2);
                self.lit("-");
                self.num_padded(d, 2);
            }
            4 => {
                self.lit("检测结果：温度 ");
                self.decimal();
                self.lit("，湿度 ");
                self.decimal();
                self.lit("，样本号 ");
                self.wrong_resident_id();
            }
            5 => {
                self.datetime();
                self.lit(" 对账完成 ts=");
                self.compact_timestamp();
                self.lit(" total=");
                self.amount();
                self.lit(" seq=");
                self.txn_no();
            }
            _ => {
                self.lit("第");
                let n = self.below(1, 200);
                self.num(n);
                self.lit("期报告显示");
                self.prose_sentence();
            }
        }
    }

    /// An order number glued to letters, or a long number not starting like a card.
    fn order_no(&mut self) {
        if self.chance(60) {
            let p = *self.pick(&["DD", "SO", "PO", "NO"]);
            self.lit(p);
            let (y, m, d) = self.date(2020, 2026);
            self.num(y);
            self.num_padded(m, 2);
            self.num_padded(d, 2);
            self.digits(8);
        } else {
            self.lit("1");
            self.digits(15);
        }
    }

    /// A 19-digit transaction number; the leading `1` keeps it out of the card schemes.
    fn txn_no(&mut self) {
        self.lit("1");
        self.digits(18);
    }

    /// `YYYYMMDDhhmmss`.
    fn compact_timestamp(&mut self) {
        let (y, m, d) = self.date(2019, 2026);
        self.num(y);
        self.num_padded(m, 2);
        self.num_padded(d, 2);
        let (h, mi, s) = (self.below(0, 24), self.below(0, 60), self.below(0, 60));
        self.num_padded(h, 2);
        self.num_padded(mi, 2);
        self.num_padded(s, 2);
    }

    /// `YYYY-MM-DD hh:mm:ss`.
    fn datetime(&mut self) {
        let (y, m, d) = self.date(2020, 2026);
        self.num(y);
        self.lit("-");
        self.num_padded(m, 2);
        self.lit("-");
        self.num_padded(d, 2);
        self.lit(" ");
        let (h, mi, s) = (self.below(0, 24), self.below(0, 60), self.below(0, 60));
        self.num_padded(h, 2);
        self.lit(":");
        self.num_padded(mi, 2);
        self.lit(":");
        self.num_padded(s, 2);
    }

    /// `¥81,126.39`.
    fn amount(&mut self) {
        self.lit("¥");
        let (th, units, cents) = (self.below(0, 500), self.below(0, 1000), self.below(0, 100));
        if th > 0 {
            self.num(th);
            self.lit(",");
            self.num_padded(units, 3);
        } else {
            self.num(units);
        }
        self.lit(".");
        self.num_padded(cents, 2);
    }

    /// `v1.8.28`.
    fn version(&mut self) {
        self.lit("v");
        let (a, b, c) = (self.below(0, 5), self.below(0, 20), self.below(0, 40));
        self.num(a);
        self.lit(".");
        self.num(b);
        self.lit(".");
        self.num(c);
    }

    /// A decimal such as `23.57`.
    fn decimal(&mut self) {
        let (i, f) = (self.below(0, 100), self.below(0, 10_000));
        self.num(i);
        self.lit(".");
        self.num_padded(f, 4);
    }
}
