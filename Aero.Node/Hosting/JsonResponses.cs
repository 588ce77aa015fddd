using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Aero.Node.Hosting;

/// <summary>Writes the node's HTTP answers: a JSON object with a status code.</summary>
public static class JsonResponses
{
    public static Task WriteAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(body.ToJsonString());
    }
}
