using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Pipeline.SupplyChain.Sigstore;

/// <summary>
/// Who a Fulcio certificate names: the subject from its SAN (URI for workflows, else e-mail) and the OIDC issuer from
/// Fulcio's extension <c>1.3.6.1.4.1.57264.1.8</c> (DER UTF8String) or the older <c>1.3.6.1.4.1.57264.1.1</c> (raw
/// bytes).
/// </summary>
public sealed record CertificateIdentity(string? Subject, string? Issuer)
{
    public const string IssuerV2Oid = "1.3.6.1.4.1.57264.1.8";
    public const string IssuerV1Oid = "1.3.6.1.4.1.57264.1.1";

    public static CertificateIdentity Of(X509Certificate2 certificate)
    {
        string? subject = null;
        if (certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault() is { } san)
        {
            subject = SubjectAlternativeUris(san).FirstOrDefault() ?? san.EnumerateDnsNames().FirstOrDefault();
        }

        subject ??= certificate.GetNameInfo(X509NameType.EmailName, false) is { Length: > 0 } email ? email : null;
        string? issuer = null;
        foreach (var extension in certificate.Extensions)
        {
            if (extension.Oid?.Value == IssuerV2Oid)
                issuer = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadCharacterString(
                    UniversalTagNumber.UTF8String
                );
            else if (extension.Oid?.Value == IssuerV1Oid && issuer is null)
                issuer = Encoding.UTF8.GetString(extension.RawData);
        }

        return new CertificateIdentity(subject, issuer);
    }

    /// <summary>URI entries of a SAN extension ([6] IA5String), which .NET does not enumerate itself.</summary>
    private static IEnumerable<string> SubjectAlternativeUris(X509SubjectAlternativeNameExtension san)
    {
        var names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
        var uris = new List<string>();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag == uriTag)
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            else if (tag == new Asn1Tag(TagClass.ContextSpecific, 1))
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, tag)); // rfc822Name
            else
                names.ReadEncodedValue();
        }

        return uris;
    }
}
