using System.Text;

namespace FcWorker.Handlers;

/// <summary>C#-style type names for messages: <c>Task&lt;Task&gt;</c> rather than <c>Task`1[[System.Threading.Tasks.Task…]]</c>.</summary>
internal static class TypeNames
{
    public static string Display(Type type)
    {
        if (type.IsByRef)
        {
            return Display(type.GetElementType()!) + "&";
        }

        if (type.IsArray)
        {
            return Display(type.GetElementType()!) + "[]";
        }

        if (!type.IsGenericType)
        {
            return type.Name;
        }

        var tick = type.Name.IndexOf('`', StringComparison.Ordinal);
        var name = new StringBuilder(tick < 0 ? type.Name : type.Name[..tick]).Append('<');
        var arguments = type.GetGenericArguments();
        for (var i = 0; i < arguments.Length; i++)
        {
            name.Append(i == 0 ? string.Empty : ", ").Append(Display(arguments[i]));
        }

        return name.Append('>').ToString();
    }
}
