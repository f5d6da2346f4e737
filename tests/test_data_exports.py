"""Vendor exports read into the kit's tables: each vendor's real headers, variants, Excel encodings, bad files."""

import json
import shutil
import zipfile

import pandas as pd
import pytest

from mopskit.data.exports import LAYOUTS, import_exports, layout, load_mapping, read_export, recognise
from mopskit.errors import DataError, ParameterError

EXPORTS = "exports"
T = pd.Timestamp


def _folder(tmp_path, files, *names):
    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    for name in names:
        source = files / EXPORTS / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy(source, folder / source.name)
    return folder


def _one(tmp_path, files, name, **kwargs):
    frame = read_export(files / EXPORTS / name, **kwargs)
    return frame, frame.attrs["import"]


def test_hubspot_contacts_by_their_labels(tmp_path, files):
    frame, item = _one(tmp_path, files, "hubspot_contacts.csv")
    assert item.layout == "hubspot_contacts" and item.system == "HubSpot" and item.rows == 5
    assert frame["record_id"].tolist() == ["501", "502", "503", "504", "505"]
    assert frame["row"].tolist() == [2, 3, 4, 5, 6]
    assert frame["lifecycle_stage"].tolist() == ["mql", "lead", "customer", "Product Qualified Lead", "subscriber"]
    assert frame.loc[0, "mql_at"] == T("2026-01-20 14:00") and frame.loc[0, "first_touch_at"] == T("2026-01-21 09:30")
    assert frame["subscription"].tolist() == ["subscribed", "unsubscribed", "subscribed", "subscribed", "subscribed"]
    assert frame["owner"].isna().tolist() == [False, True, False, True, True]
    assert {"First Name", "Last Name", "Phone Number", "Last Activity Date"} <= set(item.ignored)
    assert item.read["lifecycle_stage"] == "Lifecycle Stage"
    assert any("Product Qualified Lead" in note for note in item.notes)


def test_hubspot_contacts_by_their_internal_names(tmp_path, files):
    frame, item = _one(tmp_path, files, "hubspot_contacts_api.csv")
    assert item.layout == "hubspot_contacts"
    assert frame["lifecycle_stage"].tolist() == ["mql", "lead", "1034567"]  # a custom stage exported by its id
    assert frame.loc[0, "created_at"] == T("2026-01-05 10:20")
    assert frame["subscription"].tolist() == ["subscribed", "unsubscribed", "subscribed"]


def test_hubspot_email_events_from_csv_and_json_lines(tmp_path, files):
    frame, item = _one(tmp_path, files, "hubspot_email_events.csv")
    assert item.layout == "hubspot_email_events"
    kinds = frame.set_index("event_id")["event_type"]
    assert kinds["9f1b"] == "sent" and kinds["9f20"] == "bounced" and kinds["9f23"] == "unsubscribed"
    assert pd.isna(kinds["9f1a"]) and pd.isna(kinds["9f24"]), "PROCESSED and a re-subscribe are not counted"
    assert frame.loc[frame["event_id"] == "9f1b", "occurred_at"].iloc[0] == T("2026-01-05 09:00:00")
    assert any("PROCESSED 1" in note and "DROPPED 1" in note for note in item.notes)
    events, item = _one(tmp_path, files, "hubspot_email_events.jsonl")
    assert item.layout == "hubspot_email_events"
    assert events["event_type"].tolist() == ["sent", "delivered", "unsubscribed"]
    assert events["row"].tolist() == [1, 2, 3]


def test_mailchimp_audience_three_files_and_the_zip(tmp_path, files):
    folder = _folder(tmp_path, files, "mailchimp")
    imports = import_exports(folder)
    assert [f.layout for f in imports.files] == ["mailchimp_audience"] * 3
    people = imports.frame("contacts").set_index("email")
    assert people.loc["ana.pop@example.com", "subscription"] == "subscribed"
    assert people.loc["paul.garcia@example.com", "subscription"] == "unsubscribed"
    assert people.loc["paul.garcia@example.com", "unsubscribed_at"] == T("2025-12-20 08:00")
    assert people.loc["old.address@example.com", "subscription"] == "cleaned"
    assert people.loc["ana.pop@example.com", "opted_in_at"] == T("2025-12-01 10:05")
    assert people.loc["tom.baker@example.com", "created_at"] == T("2025-12-02 09:00"), "imported: no OPTIN_TIME"
    assert people.loc["ana.pop@example.com", "record_id"] == "1001" and set(people["scope"]) == {"ab12cd"}
    archive = tmp_path / "zipped" / "members_export_ab12cd.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted((files / EXPORTS / "mailchimp").iterdir()):
            handle.write(path, path.name)
    zipped = import_exports(archive.parent)
    assert zipped.files[0].label == "members_export_ab12cd.zip/cleaned_members_export_ab12cd.csv"
    assert zipped.rows("contacts") == 4


def test_salesforce_campaign_members_api_names_upper_case_and_report_labels(tmp_path, files):
    frame, item = _one(tmp_path, files, "salesforce_campaign_members.csv")
    assert item.layout == "salesforce_campaign_members"
    assert frame["campaign_id"].tolist() == ["7015g0000001234"] * 3, "18-character ids compared by their first 15"
    assert frame["responded"].tolist() == [True, True, False]
    assert frame["opted_out"].tolist() == [False, False, True]
    assert frame.loc[0, "campaign_name"] == "January webinar"
    upper = tmp_path / "upper.csv"
    text = (files / EXPORTS / "salesforce_campaign_members.csv").read_text().splitlines()
    upper.write_text("\n".join([text[0].upper(), *text[1:]]) + "\n")
    assert read_export(upper)["status"].tolist() == ["Attended", "Registered", "No Show"]
    report, item = _one(tmp_path, files, "salesforce_report.csv")
    assert report["first_responded_at"].tolist()[:2] == [T("2026-01-10"), T("2026-01-05")], "day first"
    assert report.loc[2, "created_at"] == T("2025-12-25")
    assert report["responded"].tolist() == [True, True, False]
    assert any("day first" in note for note in item.notes)


def test_marketo_activities_with_json_attributes(tmp_path, files):
    frame, item = _one(tmp_path, files, "marketo_activities.csv")
    assert item.layout == "marketo_activities" and item.system == "Marketo"
    assert frame["event_type"].tolist()[:5] == ["sent", "delivered", "bounced", "opened", "unsubscribed"]
    assert frame["vendor_type"].tolist()[5:] == ["Visit Webpage", "Fill Out Form"]
    assert frame["campaign_id"].tolist()[:5] == ["Webinar.Invite"] * 5
    assert frame.loc[2, "email"] == "gone@example.net", "the address in a bounce's Email attribute (object)"
    assert frame.loc[4, "email"] == "lead@example.net", "and in an older list of name/value pairs"
    assert frame.loc[5, "campaign_id"] == "/pricing" and frame["bad"].isna().all(), "'null' means empty"
    assert frame.loc[0, "occurred_at"] == T("2026-01-05 09:00")


def test_ga4_events_from_json_lines_and_parquet(tmp_path, files):
    frame, item = _one(tmp_path, files, "ga4_events.jsonl")
    assert item.layout == "ga4_events"
    assert frame.loc[0, "occurred_at"] == T("2026-01-05 09:00:00.123456"), "microseconds, written as a string"
    assert frame.loc[1, "occurred_at"] == T("2026-01-05 09:01:00"), "or as a number"
    assert frame["event_date"].tolist() == [T("2026-01-05"), T("2026-01-05"), T("2026-01-06")]
    assert frame.loc[0, ["source", "medium", "campaign"]].tolist() == ["google", "cpc", "winter_search"]
    assert frame.loc[1, ["source", "campaign"]].tolist() == ["google", "winter_search"], "then traffic_source"
    assert pd.isna(frame.loc[2, "source"]) and frame.loc[1, "user_id"] == "u-1"
    import pyarrow as pa
    import pyarrow.parquet as pq

    value = pa.struct([("string_value", pa.string()), ("int_value", pa.int64()), ("double_value", pa.float64())])
    params = pa.list_(pa.struct([("key", pa.string()), ("value", value)]))
    table = pa.table(
        {
            "event_date": ["20260105"],
            "event_timestamp": pa.array([1767603600123456], pa.int64()),
            "event_name": ["generate_lead"],
            "event_params": pa.array(
                [[{"key": "source", "value": {"string_value": "newsletter", "int_value": None, "double_value": None}}]],
                params,
            ),
            "user_pseudo_id": ["555.666"],
        }
    )
    pq.write_table(table, tmp_path / "events_20260105.parquet")
    parquet = read_export(tmp_path / "events_20260105.parquet")
    assert parquet.loc[0, ["event_name", "source", "row"]].tolist() == ["generate_lead", "newsletter", 1]
    assert parquet.loc[0, "occurred_at"] == T("2026-01-05 09:00:00.123456")


@pytest.mark.parametrize(
    "name",
    [
        "hubspot_contacts.csv",
        "hubspot_contacts_api.csv",
        "hubspot_email_events.csv",
        "mailchimp/subscribed_members_export_ab12cd.csv",
        "mailchimp/unsubscribed_members_export_ab12cd.csv",
        "mailchimp/cleaned_members_export_ab12cd.csv",
        "salesforce_campaign_members.csv",
        "salesforce_report.csv",
        "marketo_activities.csv",
    ],
)
def test_variants_of_a_vendor_file_read_the_same(tmp_path, files, name):
    original = pd.read_csv(files / EXPORTS / name, dtype=str, keep_default_na=False)
    expected = read_export(files / EXPORTS / name)
    keep = [c for c in expected.columns if c not in ("file", "row", "scope")]
    variants = {
        "reordered.csv": original[list(reversed(original.columns))],
        "extra.csv": original.assign(**{"Custom Field": "x", "Another": "y"}),
    }
    for variant, frame in variants.items():
        path = tmp_path / variant.replace(".csv", "_export_ab12cd.csv")
        frame.to_csv(path, index=False)
        got = read_export(path)
        pd.testing.assert_frame_equal(got[keep], expected[keep], check_dtype=False, obj=variant)
    for encoding, sep in (("cp1252", ";"), ("utf-8-sig", ";"), ("utf-16", "\t")):
        path = tmp_path / f"excel_{encoding}_export_ab12cd.csv"
        original.to_csv(path, index=False, sep=sep, encoding=encoding)
        got = read_export(path)
        pd.testing.assert_frame_equal(got[keep], expected[keep], check_dtype=False, obj=encoding)


def test_an_excel_file_in_windows_1252_keeps_its_letters(tmp_path, files):
    text = (files / EXPORTS / "hubspot_contacts.csv").read_text().replace("Ana,Pop", "Šárka,Nováková €")
    path = tmp_path / "contacts.csv"
    path.write_bytes(text.replace(",", ";").encode("cp1252"))
    frame, item = read_export(path), None
    item = frame.attrs["import"]
    assert any("Windows-1252" in note for note in item.notes) and any("';'" in note for note in item.notes)
    assert len(frame) == 5


@pytest.mark.parametrize(
    ("name", "drop"),
    [
        ("hubspot_contacts.csv", ["Contact owner", "Became a Customer Date", "Unsubscribed from all email"]),
        ("hubspot_contacts_api.csv", ["hubspot_owner_id", "hs_lifecyclestage_customer_date", "hs_email_optout"]),
        ("hubspot_email_events.csv", ["id", "portalSubscriptionStatus"]),
        ("mailchimp/subscribed_members_export_ab12cd.csv", ["OPTIN_TIME", "LAST_CHANGED", "CC"]),
        ("mailchimp/unsubscribed_members_export_ab12cd.csv", ["UNSUB_TIME", "LEID", "EUID"]),
        ("salesforce_campaign_members.csv", ["FirstRespondedDate", "HasOptedOutOfEmail", "Campaign.Name"]),
        ("salesforce_report.csv", ["First Responded Date", "Contact ID", "Email"]),
        ("marketo_activities.csv", ["campaignId", "attributes"]),
    ],
)
def test_missing_optional_columns_are_left_empty(tmp_path, files, name, drop):
    frame = pd.read_csv(files / EXPORTS / name, dtype=str, keep_default_na=False).drop(columns=drop)
    path = tmp_path / name.split("/")[-1]
    frame.to_csv(path, index=False)
    got = read_export(path)
    item = got.attrs["import"]
    assert len(got) == len(frame) and not set(drop) & set(item.read.values())
    if name.startswith("hubspot_contacts"):
        assert got["subscription"].isna().all(), "no opt-out column: consent unknown, not 'subscribed'"
    if name.startswith("mailchimp/unsubscribed"):
        assert got["subscription"].tolist() == ["unsubscribed"], "the file says so, whatever its columns"


def test_a_ga4_export_without_parameters_or_traffic_source(tmp_path, files):
    lines = (files / EXPORTS / "ga4_events.jsonl").read_text().splitlines()
    kept = ["event_date", "event_timestamp", "event_name", "user_pseudo_id"]
    path = tmp_path / "events_20260105.jsonl"
    path.write_text("\n".join(json.dumps({k: json.loads(line)[k] for k in kept}) for line in lines) + "\n")
    frame, item = read_export(path), None
    item = frame.attrs["import"]
    assert item.layout == "ga4_events" and len(frame) == len(lines)
    assert frame["source"].isna().all() and frame["occurred_at"].notna().all()
    assert set(item.read) >= {"event_name", "occurred_at"} and "source" not in item.read


@pytest.mark.parametrize(
    "name",
    [
        "hubspot_contacts.csv",
        "hubspot_contacts_api.csv",
        "hubspot_email_events.csv",
        "mailchimp/unsubscribed_members_export_ab12cd.csv",
        "salesforce_campaign_members.csv",
        "salesforce_report.csv",
        "marketo_activities.csv",
    ],
)
def test_a_file_with_a_header_and_no_rows_of_each_vendor(tmp_path, files, name):
    header = (files / EXPORTS / name).read_text().splitlines()[0]
    path = tmp_path / name.split("/")[-1]
    path.write_text(header + "\n")
    frame = read_export(path)
    assert frame.empty and "the file has no rows" in frame.attrs["import"].notes


@pytest.mark.parametrize("name", ["hubspot_email_events.jsonl", "events_20260105.json"])
def test_a_json_lines_export_with_no_rows_is_refused_as_empty(tmp_path, name):
    path = tmp_path / name
    path.write_text("")
    with pytest.raises(DataError, match=f"{name}: the file is empty; export it again"):
        read_export(path)


def test_a_mailchimp_zip_of_files_with_no_rows(tmp_path, files):
    archive = tmp_path / "in" / "members_export_ab12cd.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted((files / EXPORTS / "mailchimp").iterdir()):
            handle.writestr(path.name, path.read_text().splitlines()[0] + "\n")
    imports = import_exports(archive.parent)
    assert [f.rows for f in imports.files] == [0, 0, 0] and imports.rows("contacts") == 0
    assert all("the file has no rows" in f.notes for f in imports.files)


def test_a_ga4_file_with_no_events(tmp_path):
    path = tmp_path / "events_20260105.parquet"
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["event_date", "event_timestamp", "event_name", "user_pseudo_id"]
    pq.write_table(pa.table({n: pa.array([], pa.string()) for n in names}), path)
    assert read_export(path).empty


def test_an_unknown_layout_names_what_it_is_closest_to_and_how_to_map_it(tmp_path, files):
    folder = _folder(tmp_path, files, "hubspot_contacts.csv")
    (folder / "crm_dump.csv").write_text("Person ID,Mail,Stage\n1,a@x.com,Lead\n")
    (folder / "notes.txt").write_text("not data")
    with pytest.raises(DataError) as caught:
        import_exports(folder)
    message = str(caught.value)
    assert "crm_dump.csv: not an export the kit recognises. Its columns: Person ID, Mail, Stage" in message
    assert "Recognised in this folder: hubspot_contacts.csv (HubSpot contacts export)" in message
    assert "--map columns.yaml" in message and "table: contacts" in message
    assert caught.value.problems == ["crm_dump.csv: layout not recognised"]


def test_a_mapping_file_reads_any_export(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "people.csv").write_text(
        "Person ID,Mail,Stage,Added\n1,a@x.com,Hot,2026-01-05\n2,b@x.com,Customer,2026-01-06\n"
    )
    (folder / "sends.csv").write_text(
        "Recipient,Camp,What,When\na@x.com,C1,Send,1767603600000\na@x.com,C1,Open,1767603700000\n"
    )
    mapping = tmp_path / "columns.yaml"
    mapping.write_text(
        "files:\n"
        "  - file: people.csv\n    table: contacts\n    system: Pipedrive\n"
        "    columns: {record_id: Person ID, email: Mail, lifecycle_stage: Stage, created_at: Added}\n"
        "    values: {lifecycle_stage: {Hot: mql}}\n"
        "  - file: 'send*.csv'\n    table: email_events\n    system: Brevo\n    epoch: ms\n"
        "    columns: {email: Recipient, campaign_id: Camp, event_type: What, occurred_at: When}\n"
        "  - file: nothing.csv\n    table: contacts\n    columns: {email: Mail}\n"
    )
    imports = import_exports(folder, mapping=mapping)
    people = imports.frame("contacts")
    assert people["system"].tolist() == ["Pipedrive"] * 2
    assert people["lifecycle_stage"].tolist() == ["mql", "customer"]
    events = imports.frame("email_events")
    assert events["event_type"].tolist() == ["sent", "opened"] and events.loc[0, "occurred_at"] == T("2026-01-05 09:00")
    assert imports.notes == ["mapping entry 'nothing.csv' matched no file in the folder"]


def test_a_bad_mapping_file_lists_every_problem(tmp_path):
    mapping = tmp_path / "columns.yaml"
    mapping.write_text(
        "files:\n  - file: a.csv\n    table: leads\n    columns: {email: Mail}\n"
        "  - file: b.csv\n    table: email_events\n    columns: {email: Mail, colour: C}\n    epoch: days\n"
    )
    with pytest.raises(ParameterError) as caught:
        load_mapping(mapping)
    text = str(caught.value)
    assert "entry 1: 'table' must be one of contacts, email_events, campaign_members, web_events (got 'leads')" in text
    assert "entry 2: 'colour' is not a column of 'email_events'" in text
    assert "'email_events' needs 'event_type'" in text and "'epoch' must be s, ms or us (got 'days')" in text
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.csv").write_text("Person,Mail\n1,a@x.com\n")
    mapping.write_text("files:\n  - file: a.csv\n    table: contacts\n    columns: {email: Email}\n")
    with pytest.raises(DataError, match=r"the mapping names column\(s\) 'Email' that the file does not have; "):
        import_exports(folder, mapping=mapping)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04rest", "not recognised|Excel workbook"),
        (
            b"Record ID,Email,Lifecycle Stage\n1,a@x.com,Lead\n2,b@x.com\n",
            r"cannot be read \(line 3: Expected Number of Columns: 3 Found: 2",
        ),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path, content, message):
    path = tmp_path / "contacts.csv"
    path.write_bytes(content)
    with pytest.raises(DataError, match=message):
        read_export(path)


def test_values_that_cannot_be_read_are_kept_and_named(tmp_path, files):
    text = (files / EXPORTS / "hubspot_contacts.csv").read_text().replace("2026-01-06 11:00,,", "soon,,", 1)
    text = text.replace(",true\n", ",maybe\n")
    path = tmp_path / "contacts.csv"
    path.write_text(text)
    frame = read_export(path)
    assert frame.loc[1, "bad"] == "Create Date: soon; Unsubscribed from all email: maybe"
    assert pd.isna(frame.loc[1, "created_at"]) and len(frame) == 5


def test_every_layout_is_documented_and_recognised_by_its_first_headers():
    for item in LAYOUTS:
        assert item.quirks and item.title and item.vendor
        headers = [item.field(c).headers[0] for c in (*item.required, *item.any_of[:1])]
        assert recognise(headers) is item, item.key
    with pytest.raises(ParameterError, match="unknown export layout 'x'; known: hubspot_contacts"):
        layout("x")


def test_a_folder_with_no_exports_says_so(tmp_path):
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "plan.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(DataError, match=r"no exports in the folder \(found: notes.txt \(not a data file") as caught:
        import_exports(tmp_path)
    assert "plan.xlsx (an Excel workbook: save each sheet as 'CSV UTF-8'" in str(caught.value)


def test_the_stack_inventory_is_recognised_and_left_to_the_stack_audit(tmp_path):
    from mopskit._resources import datasets_dir

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(datasets_dir() / "martech_stack.csv", folder / "our_stack.csv")
    imports = import_exports(folder)
    assert [label for _path, label in imports.inventories] == ["our_stack.csv"] and not imports.files
