#!/usr/bin/env python3
"""Writes the sample files under samples/ (run from anywhere: `python3 samples/generate.py`).

Every identifier here is generated and fake, but checksum-valid where the real one has a
checksum (resident IDs: MOD 11-2; bank cards: Luhn; credit codes: mod 31 and GB 11714), so
`shujian scan samples/` finds them as it would find real ones. Each file also holds
look-alikes that must NOT be reported: order numbers, tracking numbers, version strings,
an 18-digit number with a wrong check character, a card number failing Luhn.

The output is deterministic (fixed seed, gzip without a timestamp).
"""

import gzip
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
rng = random.Random(20261123)

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
AREAS = ["110105", "310104", "440305", "330106", "510107", "420111", "320102"]


def resident_id(birth=None):
    area = rng.choice(AREAS)
    if birth is None:
        birth = "%04d%02d%02d" % (rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28))
    body = area + birth + "%03d" % rng.randint(1, 999)
    s = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS))
    return body + "10X98765432"[s % 11]


def broken_id():
    good = resident_id()
    wrong = [c for c in "0123456789X" if c != good[-1]]
    return good[:-1] + rng.choice(wrong)


def luhn_digit(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def bank_card(prefix=None, length=19):
    prefix = prefix or rng.choice(["622202", "621700", "622848", "621226"])
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    return body + luhn_digit(body)


def bad_card():
    good = bank_card(length=16)
    last = str((int(good[-1]) + 3) % 10)
    return good[:-1] + last


def mobile():
    return rng.choice(["138", "139", "186", "135", "177", "199", "151", "188"]) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )


USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]


def org_code():
    body = "".join(rng.choice("0123456789") for _ in range(8))
    s = sum(int(c) * w for c, w in zip(body, ORG_WEIGHTS))
    c = 11 - s % 11
    return body + ("X" if c == 10 else "0" if c == 11 else str(c))


def uscc():
    while True:
        org = org_code()
        if org[-1] in USCC_CHARS:
            break
    body = "91" + rng.choice(AREAS) + org
    s = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS))
    return body + USCC_CHARS[(31 - s % 31) % 31]


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]


def name():
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


ADDRESSES = [
    "北京市朝阳区建国路88号SOHO现代城3号楼1205室",
    "上海市徐汇区漕溪北路201号2栋1502室",
    "广东省深圳市南山区科技园南区高新南七道18号",
    "浙江省杭州市西湖区文三路478号华星时代广场A座",
    "四川省成都市武侯区人民南路四段27号",
    "湖北省武汉市洪山区珞喻路1037号",
]


def email(n):
    user = rng.choice(["zhang.wei", "liuyang88", "chen_jing", "wangfang", "li.qiang", "zhaomin"])
    return "%s%d@%s" % (user, n, rng.choice(["example.com", "example.cn", "mail.example.org"]))


def public_ip():
    return "%d.%d.%d.%d" % (rng.choice([202, 218, 61, 116, 123]), rng.randint(1, 254), rng.randint(0, 254), rng.randint(1, 254))


def write(name_, data):
    with open(os.path.join(HERE, name_), "wb") as f:
        f.write(data)


def app_log():
    lines = []
    for i in range(40):
        t = "2026-11-%02d %02d:%02d:%02d" % (rng.randint(1, 22), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        kind = i % 8
        if kind == 0:
            lines.append(f"{t} INFO  login ok user_id=10{rng.randint(10000, 99999)} ip={public_ip()} phone={mobile()}")
        elif kind == 1:
            lines.append(f"{t} INFO  实名认证通过 姓名:{name()} 身份证号:{resident_id()}")
        elif kind == 2:
            lines.append(f"{t} WARN  支付失败 卡号{bank_card()} 订单号{rng.randint(10**17, 10**18 - 1)}")
        elif kind == 3:
            lines.append(f"{t} INFO  order shipped 运单号SF{rng.randint(10**11, 10**12 - 1)} version=3.18.{rng.randint(0, 9)}")
        elif kind == 4:
            lines.append(f"{t} DEBUG 内网回调 192.168.{rng.randint(0, 9)}.{rng.randint(2, 250)} trace={rng.getrandbits(64):016x}")
        elif kind == 5:
            lines.append(f"{t} INFO  发送验证码至手机{mobile()}，邮箱{email(i)}")
        elif kind == 6:
            lines.append(f"{t} ERROR 证件校验失败 流水号{broken_id()}")
        else:
            lines.append(f"{t} INFO  batch done rows={rng.randint(100, 99999)} elapsed_ms={rng.randint(1, 9999)}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def customer_note_gbk():
    n = name()
    text = f"""客户回访记录（2026年11月）

客户姓名：{n}
联系电话：{mobile()}
身份证号码：{resident_id()}
开户行：中国工商银行北京分行  银行卡号：{bank_card('622202')}
收货地址：{ADDRESSES[0]}
邮编：100022

备注：{n}女士反映上月账单有误，已转财务核实。另一位联系人{name()}先生，电话{mobile()}。
车辆信息：京A{rng.randint(10000, 99999)}，护照号码E{rng.randint(10000000, 99999999)}。
内部工单号 {rng.randint(10**17, 10**18 - 1)}（非证件号）。
"""
    return text.encode("gbk")


def access_log_gz():
    lines = []
    for i in range(30):
        ip = public_ip() if i % 3 else "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
        path = rng.choice([
            "/api/v1/orders?page=2",
            f"/api/v1/users/search?mobile={mobile()}",
            "/static/app.3.2.1.js",
            f"/api/v1/verify?id_card={resident_id()}",
            f"/api/v1/profile?email={email(i)}",
            "/health",
        ])
        lines.append(f'{ip} - - [23/Nov/2026:10:{i % 60:02d}:{rng.randint(0, 59):02d} +0800] "GET {path} HTTP/1.1" 200 {rng.randint(100, 9999)}')
    return gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)


def users_json():
    users = []
    for i in range(12):
        users.append({
            "id": 1000 + i,
            "name": name(),
            "mobile": mobile(),
            "id_card": resident_id(),
            "email": email(i),
            "address": rng.choice(ADDRESSES),
            "bank_card": bank_card(),
            "last_login_ip": public_ip(),
            "order_no": str(rng.randint(10**17, 10**18 - 1)),
            "app_version": "5.%d.%d" % (rng.randint(0, 9), rng.randint(0, 20)),
        })
    doc = {"exported_at": "2026-11-23T09:00:00+08:00", "company_uscc": uscc(), "users": users}
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def orders_csv():
    rows = ["订单号,下单时间,收件人,联系电话,收货地址,支付卡号,金额"]
    for i in range(25):
        card = bank_card(length=16) if i % 5 else bad_card()
        rows.append(",".join([
            str(rng.randint(10**17, 10**18 - 1)),
            "2026-11-%02d %02d:%02d" % (rng.randint(1, 22), rng.randint(0, 23), rng.randint(0, 59)),
            name(),
            mobile(),
            rng.choice(ADDRESSES),
            card,
            "%d.%02d" % (rng.randint(10, 9999), rng.randint(0, 99)),
        ]))
    return ("\n".join(rows) + "\n").encode("utf-8")


def dot_env():
    key = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    secret = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24))
    body = "\n".join(
        "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") for _ in range(64))
        for _ in range(8)
    )
    return f"""# Sample deployment settings (fake credentials for the scanner demo)
APP_ENV=staging
DB_HOST=192.168.10.21
DB_USER=app
DB_PASSWORD={secret}
AWS_ACCESS_KEY_ID=AKIA{key}
SUPPORT_PHONE=400-810-8888
TLS_KEY="-----BEGIN PRIVATE KEY-----
{body}
-----END PRIVATE KEY-----"
""".encode("utf-8")


def main():
    write("app.log", app_log())
    write("customer_note_gbk.txt", customer_note_gbk())
    write("access.log.gz", access_log_gz())
    write("users.json", users_json())
    write("orders.csv", orders_csv())
    write(".env", dot_env())


if __name__ == "__main__":
    main()
